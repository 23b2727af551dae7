/**
 * The context keys a policy refers to, as GetContextKeysForCustomPolicy reports them: every key of
 * every Condition block, and every policy variable (`${aws:username}`) in Resource, NotResource and
 * condition values of a 2012-10-17 policy. Each key once (compared without case, as keys are),
 * spelled as first written, in order of appearance. Pure: it reads a parsed document only.
 * https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetContextKeysForCustomPolicy.html
 */
import type { PolicyDocument } from './document.ts';

/** `${key}` or `${key, 'default'}`; `${*}`, `${?}` and `${$}` are escapes, not keys. */
const VARIABLE = /\$\{([^}]*)\}/g;

/** The key a `${…}` body names, or undefined for an escape. */
function variableKey(body: string): string | undefined {
  const key = body.split(',')[0]!.trim();
  return key === '' || key === '*' || key === '?' || key === '$' ? undefined : key;
}

/** Adds keys to an ordered, case-insensitively unique list. */
export class ContextKeyList {
  private readonly seen = new Set<string>();
  readonly keys: string[] = [];

  add(key: string): void {
    const lower = key.toLowerCase();
    if (this.seen.has(lower)) return;
    this.seen.add(lower);
    this.keys.push(key);
  }

  /** Every key `document` refers to. */
  addDocument(document: PolicyDocument): void {
    const variables = document.version === '2012-10-17';
    const scan = (text: string): void => {
      if (!variables || !text.includes('${')) return;
      for (const match of text.matchAll(VARIABLE)) {
        const key = variableKey(match[1]!);
        if (key !== undefined) this.add(key);
      }
    };
    for (const statement of document.statements) {
      for (const resource of [...(statement.resource ?? []), ...(statement.notResource ?? [])]) scan(resource);
      for (const condition of statement.condition) {
        this.add(condition.key);
        for (const value of condition.values) scan(value);
      }
    }
  }
}
