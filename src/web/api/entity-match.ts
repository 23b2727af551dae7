/**
 * Matching typed text against the entity picker's options, apart from the loading so it can be
 * tested without a browser.
 */

/** One choice: `value` goes into the field (a name, or an ARN for policies). */
export interface EntityOption {
  readonly value: string;
  /** What the list shows first (the name). */
  readonly label: string;
  /** What it shows after (the ARN, or "AWS managed"). */
  readonly detail: string;
}

/** How many matches the popup shows at most. */
export const MAX_MATCHES = 20;

/**
 * The options whose name or value contains `typed` (any case), names that start with it first,
 * at most MAX_MATCHES; everything (up to the bound) when nothing is typed.
 */
export function matchOptions(options: readonly EntityOption[], typed: string): readonly EntityOption[] {
  const needle = typed.trim().toLowerCase();
  if (needle === '') return options.slice(0, MAX_MATCHES);
  const starts: EntityOption[] = [];
  const contains: EntityOption[] = [];
  for (const option of options) {
    const label = option.label.toLowerCase();
    if (label.startsWith(needle)) starts.push(option);
    else if (label.includes(needle) || option.value.toLowerCase().includes(needle)) contains.push(option);
    if (starts.length >= MAX_MATCHES) break;
  }
  return [...starts, ...contains].slice(0, MAX_MATCHES);
}
