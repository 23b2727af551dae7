/**
 * The syntax tree the position-tracking JSON parser produces: every value and every object key
 * knows where it stands in the source text and its JSON path, so validation findings can point
 * at the exact element (as Access Analyzer's `locations` do).
 */

/** A 1-based line and column (columns count UTF-16 code units) plus the 0-based offset. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

interface NodeBase {
  /** JSON path, e.g. `$.Statement[0].Action[1]`. */
  readonly path: string;
  /** Position of the value's first character. */
  readonly start: SourcePosition;
  /** Position just past the value's last character. */
  readonly end: SourcePosition;
}

/** A JSON string; `value` is unescaped. */
export interface StringNode extends NodeBase {
  readonly type: 'string';
  readonly value: string;
}

/** A JSON number; `raw` is the text as written (kept so stringification matches the input). */
export interface NumberNode extends NodeBase {
  readonly type: 'number';
  readonly raw: string;
  readonly value: number;
}

/** `true` or `false`. */
export interface BooleanNode extends NodeBase {
  readonly type: 'boolean';
  readonly value: boolean;
}

/** `null`. */
export interface NullNode extends NodeBase {
  readonly type: 'null';
}

/** One `"key": value` member of an object. */
export interface ObjectMember {
  readonly key: string;
  /** Position of the key's opening quote. */
  readonly keyStart: SourcePosition;
  readonly value: JsonNode;
}

/** A JSON object; members keep their source order, duplicates included. */
export interface ObjectNode extends NodeBase {
  readonly type: 'object';
  readonly members: readonly ObjectMember[];
}

/** A JSON array. */
export interface ArrayNode extends NodeBase {
  readonly type: 'array';
  readonly items: readonly JsonNode[];
}

/** Any JSON value. */
export type JsonNode = StringNode | NumberNode | BooleanNode | NullNode | ObjectNode | ArrayNode;

/** A JSON-level problem: bad syntax, excessive nesting, or a duplicate key. */
export interface JsonProblem {
  readonly kind: 'syntax' | 'too-deep' | 'duplicate-key' | 'duplicate-key-case';
  /** Lower-case description, quoting the input where useful. */
  readonly message: string;
  readonly path: string;
  readonly position: SourcePosition;
}

/** What `parseJson` returns: the tree when the text is well-formed JSON, and the problems found. */
export interface JsonParseResult {
  readonly root?: JsonNode;
  readonly problems: readonly JsonProblem[];
}
