/**
 * Adding a trusted principal to a trust policy as text, the way the create-role form's picker
 * does (pure: testable without a browser). The ARN joins the `Principal.AWS` of the first
 * statement that allows sts:AssumeRole to AWS principals (a single ARN becomes a list); with no
 * such statement, one is appended. The rest of the document is kept as it was parsed.
 */

/** The new document text, or why the ARN could not be added. */
export type TrustEdit = { readonly document: string } | { readonly error: string };

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

function allowsAssumeRole(statement: Json): boolean {
  const actions = Array.isArray(statement['Action']) ? statement['Action'] : [statement['Action']];
  return statement['Effect'] === 'Allow' && actions.some((a) => a === 'sts:AssumeRole') && isObject(statement['Principal']) && 'AWS' in statement['Principal'] && statement['Condition'] === undefined;
}

/** Adds `arn` as a trusted AWS principal of `document`. */
export function addTrustedPrincipal(document: string, arn: string): TrustEdit {
  const principal = arn.trim();
  if (principal === '') return { error: 'choose a user or role to trust' };
  let policy: unknown;
  try {
    policy = JSON.parse(document);
  } catch {
    return { error: 'the trust policy is not valid JSON: fix it before adding a principal' };
  }
  if (!isObject(policy)) return { error: 'the trust policy must be a JSON object' };
  const raw = policy['Statement'] ?? [];
  const statements = (Array.isArray(raw) ? raw : [raw]) as unknown[];
  const target = statements.find((s): s is Json => isObject(s) && allowsAssumeRole(s));
  if (target === undefined) {
    statements.push({ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' });
  } else {
    const trusted = (target['Principal'] as Json)['AWS'];
    const list = (Array.isArray(trusted) ? trusted : [trusted]) as unknown[];
    if (list.includes(principal)) return { error: `${principal} is already trusted` };
    (target['Principal'] as Json)['AWS'] = [...list, principal];
  }
  policy['Statement'] = statements;
  return { document: JSON.stringify(policy, null, 2) };
}
