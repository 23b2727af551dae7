/**
 * Where the caret sits in a policy document, for completion: inside an `Action`/`NotAction`
 * string (complete service prefixes, then that service's actions), or inside a key of a
 * `Condition` operator block (complete service prefixes, then that service's condition keys).
 *
 * The text is usually half-typed and not valid JSON, so this is a forgiving scan of the text
 * before the caret (objects, arrays, keys, strings), not a parse: it tracks which key each open
 * container belongs to and whether the string at the caret is a key or a value.
 */

/** What can be completed at the caret, and the span of the string the choice replaces. */
export interface CompletionSlot {
  /** `action`: an element of Action/NotAction; `conditionKey`: a key inside a Condition operator. */
  readonly kind: 'action' | 'conditionKey';
  /** The string's text from its opening quote up to the caret. */
  readonly typed: string;
  /** Offset of the first character after the opening quote. */
  readonly from: number;
  /** Offset where the replaced text ends: the closing quote on the same line, else the caret. */
  readonly to: number;
}

/** The service prefix typed so far and the rest after `:` (undefined while no `:` is typed). */
export function splitServiceName(typed: string): { service: string; rest: string | undefined } {
  const colon = typed.indexOf(':');
  return colon < 0 ? { service: typed, rest: undefined } : { service: typed.slice(0, colon), rest: typed.slice(colon + 1) };
}

interface ObjectFrame {
  readonly type: 'object';
  /** The last key read in this object: the key whose value is being written. */
  key: string | undefined;
  /** True between `{` or `,` and the next `:`, when a string is a key. */
  awaitingKey: boolean;
}
interface ArrayFrame {
  readonly type: 'array';
}
type Frame = ObjectFrame | ArrayFrame;

const ACTION_KEYS = new Set(['Action', 'NotAction']);

/** The completion slot at `caret` in `text`, or undefined where nothing is completed. */
export function completionSlotAt(text: string, caret: number): CompletionSlot | undefined {
  const stack: Frame[] = [];
  let i = 0;
  while (i < caret) {
    const ch = text[i];
    if (ch === '"') {
      const start = i + 1;
      const end = stringEnd(text, start);
      const top = stack[stack.length - 1];
      const isKey = top?.type === 'object' && top.awaitingKey;
      // The caret is inside this string when it closes at or after the caret (or not at all).
      if (end === undefined || end >= caret) {
        if (end === undefined && text.slice(start, caret).includes('\n')) return undefined;
        return slotFor(stack, isKey, text.slice(start, caret), start, end ?? caret);
      }
      if (isKey) top.key = decodeString(text.slice(start, end));
      i = end + 1;
      continue;
    }
    const top = stack[stack.length - 1];
    if (ch === '{') stack.push({ type: 'object', key: undefined, awaitingKey: true });
    else if (ch === '[') stack.push({ type: 'array' });
    else if (ch === '}' || ch === ']') stack.pop();
    else if (ch === ',' && top?.type === 'object') top.awaitingKey = true;
    else if (ch === ':' && top?.type === 'object') top.awaitingKey = false;
    i++;
  }
  return undefined;
}

/** Index of the quote closing a string whose text starts at `start`; undefined if the line ends first. */
function stringEnd(text: string, start: number): number | undefined {
  for (let i = start; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\') i++;
    else if (ch === '"') return i;
    else if (ch === '\n') return undefined;
  }
  return undefined;
}

/** A JSON string's value from its raw text (as written, if its escapes are broken). */
function decodeString(raw: string): string {
  try {
    return JSON.parse(`"${raw}"`) as string;
  } catch {
    return raw;
  }
}

/** Which slot a string at the top of `stack` fills, if any. */
function slotFor(stack: readonly Frame[], isKey: boolean, typed: string, from: number, to: number): CompletionSlot | undefined {
  const top = stack[stack.length - 1];
  const parent = stack[stack.length - 2];
  const grandparent = stack[stack.length - 3];
  if (!isKey) {
    // "Action": "s3:Get…"  or  "Action": ["s3:Get…", …]
    const owner = top?.type === 'array' ? parent : top;
    if (owner?.type === 'object' && owner.key !== undefined && ACTION_KEYS.has(owner.key)) return { kind: 'action', typed, from, to };
    return undefined;
  }
  // "Condition": { "StringEquals": { "s3:pre…": … } }
  if (parent?.type === 'object' && parent.key !== undefined && grandparent?.type === 'object' && grandparent.key === 'Condition') {
    return { kind: 'conditionKey', typed, from, to };
  }
  return undefined;
}
