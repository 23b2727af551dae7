/** Position-tracking JSON parsing for policy documents. */
export { parseJson, MAX_JSON_DEPTH } from './json-parser.ts';
export type { ParseJsonOptions } from './json-parser.ts';
export { childIndexPath, childKeyPath, ROOT_PATH } from './json-path.ts';
export type * from './json-node.ts';
