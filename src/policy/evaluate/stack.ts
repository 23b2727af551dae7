/**
 * A reusable append-only list for per-evaluation scratch data: clearing resets a counter instead
 * of truncating the array (truncation is a runtime call). Stale slots are overwritten on reuse.
 */
export class Stack<T> {
  private readonly items: T[] = [];
  /** Number of live items. */
  size = 0;

  push(item: T): void {
    this.items[this.size++] = item;
  }

  clear(): void {
    this.size = 0;
  }

  at(i: number): T {
    return this.items[i]!;
  }

  includes(item: T): boolean {
    for (let i = 0; i < this.size; i++) if (this.items[i] === item) return true;
    return false;
  }

  /** A fresh array of the live items (or the shared empty array). */
  toArray(empty: readonly T[]): readonly T[] {
    if (this.size === 0) return empty;
    const out = new Array<T>(this.size);
    for (let i = 0; i < this.size; i++) out[i] = this.items[i]!;
    return out;
  }
}
