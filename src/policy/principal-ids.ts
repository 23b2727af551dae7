/**
 * IAM user and role ARNs named in `Principal` / `NotPrincipal` `AWS` elements. AWS turns each into
 * the principal's unique id (AIDA…, AROA…) when the policy is saved, so that the policy keeps
 * trusting that principal and never a later one given the same name; once the principal is
 * deleted the policy shows the id. The service resolves ids when it saves a document and hands
 * them to `compilePolicy` (`principalIds`); these helpers find the ARNs and rewrite them in the
 * text for reading back. Pure: no lookups here.
 */
import { parseJson } from './parse/index.ts';
import type { JsonNode, ObjectNode, StringNode } from './parse/json-node.ts';

/** `arn:<partition>:iam::<account>:user/…` or `…:role/…`: the principals AWS stores by unique id. */
const USER_OR_ROLE_ARN = /^arn:[^:]+:iam::(\d{12}):(?:user|role)\//;

/** One user or role ARN in a principal element, with where it stands in the text. */
export interface NamedPrincipal {
  readonly arn: string;
  /** The account in the ARN. */
  readonly accountId: string;
  /** JSON path, e.g. `$.Statement[0].Principal.AWS[1]`. */
  readonly path: string;
  readonly line: number;
  readonly column: number;
}

function member(node: ObjectNode, key: string): JsonNode | undefined {
  return node.members.find((m) => m.key === key)?.value;
}

/** The string nodes of `Principal.AWS` and `NotPrincipal.AWS` that hold user or role ARNs. */
function principalNodes(text: string): StringNode[] {
  const { root } = parseJson(text);
  if (root?.type !== 'object') return [];
  const statements = member(root, 'Statement');
  const list = statements?.type === 'array' ? statements.items : statements === undefined ? [] : [statements];
  const found: StringNode[] = [];
  for (const statement of list) {
    if (statement.type !== 'object') continue;
    for (const element of ['Principal', 'NotPrincipal']) {
      const principal = member(statement, element);
      const aws = principal?.type === 'object' ? member(principal, 'AWS') : undefined;
      const values = aws?.type === 'array' ? aws.items : aws === undefined ? [] : [aws];
      for (const value of values) if (value.type === 'string' && USER_OR_ROLE_ARN.test(value.value)) found.push(value);
    }
  }
  return found;
}

/** The user and role ARNs a policy's principal elements name, in text order. */
export function namedPrincipals(text: string): NamedPrincipal[] {
  return principalNodes(text).map((node) => ({
    arn: node.value,
    accountId: USER_OR_ROLE_ARN.exec(node.value)![1]!,
    path: node.path,
    line: node.start.line,
    column: node.start.column,
  }));
}

/**
 * The text with each user or role ARN of a principal element replaced by `replace(arn)` (kept
 * when it answers undefined). Everything else, white space included, stays as written.
 */
export function rewritePrincipalArns(text: string, replace: (arn: string) => string | undefined): string {
  let out = '';
  let from = 0;
  for (const node of principalNodes(text)) {
    const next = replace(node.value);
    if (next === undefined || next === node.value) continue;
    out += text.slice(from, node.start.offset) + JSON.stringify(next);
    from = node.end.offset;
  }
  return from === 0 ? text : out + text.slice(from);
}
