/**
 * Code-unit order of two strings (what `<` compares, not a locale's collation): the order cursors
 * compare keys in, drafts list services in, and usage flushes lock their keys in — any order all
 * instances share will do for the last, and this one needs no locale data.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
