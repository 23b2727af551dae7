/**
 * A small JSON parser (RFC 8259) that records the position and JSON path of every value and key,
 * reports the first syntax error with its line and column, flags duplicate keys, and refuses to
 * nest deeper than a fixed limit. It never throws: every outcome is a `JsonParseResult`.
 *
 * Why not `JSON.parse`: it gives no positions, silently keeps the last of duplicate keys, and its
 * error messages differ between engines.
 */
import type {
  ArrayNode,
  JsonNode,
  JsonParseResult,
  JsonProblem,
  ObjectMember,
  ObjectNode,
  SourcePosition,
  StringNode,
} from './json-node.ts';
import { childIndexPath, childKeyPath, ROOT_PATH } from './json-path.ts';

/** Deepest nesting of objects and arrays accepted; a policy needs 7 levels at most. */
export const MAX_JSON_DEPTH = 64;

/** Options for `parseJson`. */
export interface ParseJsonOptions {
  readonly maxDepth?: number;
}

/** Parses `text` as one JSON value; see the module comment. */
export function parseJson(text: string, options: ParseJsonOptions = {}): JsonParseResult {
  const parser = new Parser(String(text), options.maxDepth ?? MAX_JSON_DEPTH);
  return parser.parseDocument();
}

/** Thrown only inside this module to unwind to `parseDocument`. */
class Stop {
  constructor(readonly problem: JsonProblem) {}
}

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

class Parser {
  private i = 0;
  private line = 1;
  private lineStart = 0;
  private readonly duplicates: JsonProblem[] = [];

  constructor(
    private readonly text: string,
    private readonly maxDepth: number,
  ) {}

  parseDocument(): JsonParseResult {
    try {
      this.skipWhitespace();
      if (this.i >= this.text.length) this.fail('syntax', 'the text is empty; expected a json value', ROOT_PATH);
      const root = this.parseValue(ROOT_PATH, 0);
      this.skipWhitespace();
      if (this.i < this.text.length) {
        this.fail('syntax', `unexpected ${this.describeChar()} after the end of the json value`, ROOT_PATH);
      }
      return { root, problems: this.duplicates };
    } catch (error) {
      if (error instanceof Stop) return { problems: [error.problem, ...this.duplicates] };
      // Stack overflow or any other engine error: report it instead of throwing.
      return { problems: [{ kind: 'syntax', message: 'the json text could not be parsed', path: ROOT_PATH, position: this.position() }] };
    }
  }

  private position(): SourcePosition {
    return { line: this.line, column: this.i - this.lineStart + 1, offset: this.i };
  }

  private fail(kind: JsonProblem['kind'], message: string, path: string, at: SourcePosition = this.position()): never {
    throw new Stop({ kind, message, path, position: at });
  }

  private describeChar(): string {
    if (this.i >= this.text.length) return 'end of text';
    const code = this.text.codePointAt(this.i) ?? 0;
    return `character ${JSON.stringify(String.fromCodePoint(code))}`;
  }

  private skipWhitespace(): void {
    const text = this.text;
    for (;;) {
      const ch = text.charCodeAt(this.i);
      if (ch === 0x20 || ch === 0x09) {
        this.i++;
      } else if (ch === 0x0a) {
        this.i++;
        this.line++;
        this.lineStart = this.i;
      } else if (ch === 0x0d) {
        this.i++;
        // "\r\n" is one line break; a lone "\r" is one too.
        if (text.charCodeAt(this.i) !== 0x0a) {
          this.line++;
          this.lineStart = this.i;
        }
      } else {
        return;
      }
    }
  }

  private parseValue(path: string, depth: number): JsonNode {
    const ch = this.text[this.i];
    switch (ch) {
      case '{':
        return this.parseObject(path, depth + 1);
      case '[':
        return this.parseArray(path, depth + 1);
      case '"':
        return this.parseString(path);
      case 't':
        return this.parseLiteral(path, 'true');
      case 'f':
        return this.parseLiteral(path, 'false');
      case 'n':
        return this.parseLiteral(path, 'null');
      default:
        if (ch === '-' || (ch !== undefined && ch >= '0' && ch <= '9')) return this.parseNumber(path);
        return this.fail('syntax', `unexpected ${this.describeChar()}; expected a json value`, path);
    }
  }

  private checkDepth(depth: number, path: string): void {
    if (depth > this.maxDepth) this.fail('too-deep', `the json nests deeper than ${this.maxDepth} levels`, path);
  }

  private parseObject(path: string, depth: number): ObjectNode {
    this.checkDepth(depth, path);
    const start = this.position();
    this.i++; // '{'
    const members: ObjectMember[] = [];
    const seen = new Map<string, string>(); // lower-cased key -> first spelling
    this.skipWhitespace();
    if (this.text[this.i] === '}') {
      this.i++;
      return { type: 'object', path, start, end: this.position(), members };
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.i] !== '"') this.fail('syntax', `unexpected ${this.describeChar()}; expected a string key`, path);
      const keyNode = this.parseString(path);
      const key = keyNode.value;
      const memberPath = childKeyPath(path, key);
      this.recordDuplicate(seen, key, memberPath, keyNode.start);
      this.skipWhitespace();
      if (this.text[this.i] !== ':') this.fail('syntax', `unexpected ${this.describeChar()}; expected ':' after key ${JSON.stringify(key)}`, memberPath);
      this.i++;
      this.skipWhitespace();
      const value = this.parseValue(memberPath, depth);
      members.push({ key, keyStart: keyNode.start, value });
      this.skipWhitespace();
      const next = this.text[this.i];
      if (next === ',') {
        this.i++;
      } else if (next === '}') {
        this.i++;
        return { type: 'object', path, start, end: this.position(), members };
      } else {
        this.fail('syntax', `unexpected ${this.describeChar()}; expected ',' or '}'`, path);
      }
    }
  }

  private recordDuplicate(seen: Map<string, string>, key: string, path: string, at: SourcePosition): void {
    const folded = key.toLowerCase();
    const first = seen.get(folded);
    if (first === undefined) {
      seen.set(folded, key);
    } else if (first === key) {
      this.duplicates.push({ kind: 'duplicate-key', message: `duplicate key ${JSON.stringify(key)}`, path, position: at });
    } else {
      this.duplicates.push({
        kind: 'duplicate-key-case',
        message: `key ${JSON.stringify(key)} duplicates ${JSON.stringify(first)} with different case`,
        path,
        position: at,
      });
    }
  }

  private parseArray(path: string, depth: number): ArrayNode {
    this.checkDepth(depth, path);
    const start = this.position();
    this.i++; // '['
    const items: JsonNode[] = [];
    this.skipWhitespace();
    if (this.text[this.i] === ']') {
      this.i++;
      return { type: 'array', path, start, end: this.position(), items };
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.parseValue(childIndexPath(path, items.length), depth));
      this.skipWhitespace();
      const next = this.text[this.i];
      if (next === ',') {
        this.i++;
      } else if (next === ']') {
        this.i++;
        return { type: 'array', path, start, end: this.position(), items };
      } else {
        this.fail('syntax', `unexpected ${this.describeChar()}; expected ',' or ']'`, path);
      }
    }
  }

  private parseString(path: string): StringNode {
    const text = this.text;
    const start = this.position();
    this.i++; // opening quote
    let value = '';
    let chunkStart = this.i;
    for (;;) {
      if (this.i >= text.length) this.fail('syntax', 'unterminated string', path, start);
      const code = text.charCodeAt(this.i);
      if (code === 0x22) {
        value += text.slice(chunkStart, this.i);
        this.i++;
        return { type: 'string', path, start, end: this.position(), value };
      }
      if (code < 0x20) this.fail('syntax', 'unescaped control character in string', path);
      if (code !== 0x5c) {
        this.i++;
        continue;
      }
      value += text.slice(chunkStart, this.i);
      const escape = text[this.i + 1];
      if (escape === 'u') {
        const hex = text.slice(this.i + 2, this.i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('syntax', 'invalid \\u escape in string', path);
        value += String.fromCharCode(parseInt(hex, 16));
        this.i += 6;
      } else {
        const decoded = escape === undefined ? undefined : ESCAPES[escape];
        if (decoded === undefined) this.fail('syntax', 'invalid escape sequence in string', path);
        value += decoded;
        this.i += 2;
      }
      chunkStart = this.i;
    }
  }

  private parseNumber(path: string): JsonNode {
    const start = this.position();
    NUMBER.lastIndex = this.i;
    const match = NUMBER.exec(this.text);
    if (match === null) return this.fail('syntax', `invalid number at ${this.describeChar()}`, path);
    const raw = match[0];
    this.i += raw.length;
    return { type: 'number', path, start, end: this.position(), raw, value: Number(raw) };
  }

  private parseLiteral(path: string, word: 'true' | 'false' | 'null'): JsonNode {
    if (!this.text.startsWith(word, this.i)) this.fail('syntax', `unexpected ${this.describeChar()}; expected a json value`, path);
    const start = this.position();
    this.i += word.length;
    const end = this.position();
    if (word === 'null') return { type: 'null', path, start, end };
    return { type: 'boolean', path, start, end, value: word === 'true' };
  }
}
