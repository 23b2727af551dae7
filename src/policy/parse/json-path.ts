/**
 * JSON path strings as Access Analyzer-style tools print them: `$.Statement[0].Action[1]`.
 * Keys that are not plain identifiers use bracket notation with single quotes, e.g.
 * `$.Statement[0].Condition.StringEquals['aws:username']`, so a path is never ambiguous.
 */

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The path of the document root. */
export const ROOT_PATH = '$';

/** The path of member `key` of the object at `parent`. */
export function childKeyPath(parent: string, key: string): string {
  if (IDENTIFIER.test(key)) return `${parent}.${key}`;
  return `${parent}['${key.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

/** The path of item `index` of the array at `parent`. */
export function childIndexPath(parent: string, index: number): string {
  return `${parent}[${index}]`;
}
