/**
 * Statement shape: known element names only, the right JSON types, the required elements
 * (Effect, Action/NotAction, Resource/NotResource per policy kind), no element together with
 * its Not- twin, and advice on empty arrays.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 */
import type { PolicyCheck } from '../check.ts';
import { keyLocation, quote, type StatementView, type ValidationContext, kindPhrase } from '../context.ts';
import { KIND_RULES, STATEMENT_ELEMENTS, TOP_LEVEL_ELEMENTS } from '../grammar.ts';
import type { IssueCode } from '../issue-codes.ts';
import { describeType } from '../json-types.ts';
import { didYouMean } from '../suggest.ts';

/** Elements whose value is a string or an array of strings, with the advice for an empty array. */
const LIST_ELEMENTS: ReadonlyArray<readonly [string, IssueCode]> = [
  ['Action', 'EMPTY_ARRAY_ACTION'],
  ['NotAction', 'EMPTY_ARRAY_NOT_ACTION'],
  ['Resource', 'EMPTY_ARRAY_RESOURCE'],
  ['NotResource', 'EMPTY_ARRAY_NOT_RESOURCE'],
];

/** Mutually exclusive pairs. */
const EXCLUSIVE_PAIRS = [
  ['Action', 'NotAction'],
  ['Resource', 'NotResource'],
  ['Principal', 'NotPrincipal'],
] as const;

function checkUnknownElements(ctx: ValidationContext, st: StatementView): void {
  for (const member of st.node.members) {
    if ((STATEMENT_ELEMENTS as readonly string[]).includes(member.key)) continue;
    const hint = (TOP_LEVEL_ELEMENTS as readonly string[]).includes(member.key)
      ? '; it belongs at the top level of the policy'
      : didYouMean(member.key, STATEMENT_ELEMENTS);
    ctx.report('INVALID_POLICY_ELEMENT', keyLocation(member), `element ${quote(member.key)} is not a valid statement element${hint}`);
  }
}

function checkTypes(ctx: ValidationContext, st: StatementView): void {
  for (const name of ['Sid', 'Effect']) {
    const member = st.member(name);
    if (member !== undefined && member.value.type !== 'string') {
      ctx.report('DATA_TYPE_MISMATCH', member.value, `"${name}" must be a string, not ${describeType(member.value)}`);
    }
  }
  for (const [name, emptyCode] of LIST_ELEMENTS) {
    const value = st.member(name)?.value;
    if (value === undefined || value.type === 'string') continue;
    if (value.type !== 'array') {
      ctx.report('DATA_TYPE_MISMATCH', value, `"${name}" must be a string or an array of strings, not ${describeType(value)}`);
      continue;
    }
    if (value.items.length === 0) ctx.report(emptyCode, value, `"${name}" is an empty array, so the statement matches nothing through it`);
    for (const item of value.items) {
      if (item.type !== 'string') ctx.report('DATA_TYPE_MISMATCH', item, `each "${name}" entry must be a string, not ${describeType(item)}`);
    }
  }
}

function checkRequired(ctx: ValidationContext, st: StatementView): void {
  if (st.member('Effect') === undefined) ctx.report('MISSING_EFFECT', st.node, 'the statement has no "Effect"; add "Effect": "Allow" or "Deny"');
  if (st.member('Action') === undefined && st.member('NotAction') === undefined) {
    ctx.report('MISSING_ACTION', st.node, 'the statement has no "Action" or "NotAction"');
  }
  const resource = st.member('Resource') ?? st.member('NotResource');
  const rule = KIND_RULES[ctx.kind].resource;
  if (rule === 'required' && resource === undefined) {
    ctx.report('MISSING_RESOURCE', st.node, `the statement has no "Resource" or "NotResource", which ${kindPhrase(ctx.kind)} requires`);
  }
  if (rule === 'forbidden' && resource !== undefined) {
    ctx.report('ROLE_TRUST_POLICY_SYNTAX_ERROR_RESOURCE', keyLocation(resource), `a role trust policy must not contain ${quote(resource.key)}; the role itself is the resource`);
  }
}

function checkExclusivePairs(ctx: ValidationContext, st: StatementView): void {
  for (const [plain, negated] of EXCLUSIVE_PAIRS) {
    const a = st.member(plain);
    const b = st.member(negated);
    if (a === undefined || b === undefined) continue;
    const later = a.keyStart.offset > b.keyStart.offset ? a : b;
    ctx.report('UNSUPPORTED_ELEMENT_COMBINATION', keyLocation(later), `a statement cannot contain both "${plain}" and "${negated}"`);
  }
}

/** Checks each statement's element names, types, required elements and exclusive pairs. */
export const statementElementsCheck: PolicyCheck = {
  name: 'statement elements',
  run(ctx) {
    for (const st of ctx.statements) {
      checkUnknownElements(ctx, st);
      checkTypes(ctx, st);
      checkRequired(ctx, st);
      checkExclusivePairs(ctx, st);
    }
  },
};
