/**
 * Policy variables: well formed where they are allowed (Resource, NotResource and Condition
 * values, Version 2012-10-17), an error where they are not (Action, NotAction, principals),
 * and a warning under Version 2008-10-17, where "${...}" is matched as literal text.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_variables.html
 */
import type { StringNode } from '../../parse/json-node.ts';
import type { PolicyCheck } from '../check.ts';
import { quote, type StatementView, type ValidationContext } from '../context.ts';
import { conditionEntries } from '../condition-entries.ts';
import { stringItems } from '../json-types.ts';
import { containsVariable, variableSyntaxError } from '../policy-variables.ts';

/** String values of elements that accept variables, with the element name for messages. */
function variableCarriers(st: StatementView): Array<readonly [string, StringNode]> {
  const carriers: Array<readonly [string, StringNode]> = [];
  for (const name of ['Resource', 'NotResource']) {
    const value = st.member(name)?.value;
    if (value !== undefined) for (const item of stringItems(value)) carriers.push([name, item]);
  }
  for (const entry of conditionEntries(st)) {
    for (const node of entry.values) if (node.type === 'string') carriers.push(['Condition', node]);
  }
  return carriers;
}

/** String values of elements that never accept variables. */
function forbiddenCarriers(st: StatementView): Array<readonly [string, StringNode]> {
  const found: Array<readonly [string, StringNode]> = [];
  for (const name of ['Action', 'NotAction']) {
    const value = st.member(name)?.value;
    if (value !== undefined) for (const item of stringItems(value)) found.push([name, item]);
  }
  for (const name of ['Principal', 'NotPrincipal']) {
    const value = st.member(name)?.value;
    if (value?.type === 'string') found.push([name, value]);
    if (value?.type !== 'object') continue;
    for (const entry of value.members) for (const item of stringItems(entry.value)) found.push([name, item]);
  }
  return found;
}

function checkStatement(ctx: ValidationContext, st: StatementView): void {
  for (const [element, node] of forbiddenCarriers(st)) {
    if (!containsVariable(node.value)) continue;
    ctx.report('VARIABLE_UNSUPPORTED_IN_ELEMENT', node, `${quote(node.value)} uses a policy variable, which "${element}" does not support; only Resource, NotResource and Condition values do`);
  }
  for (const [element, node] of variableCarriers(st)) {
    if (!containsVariable(node.value)) continue;
    if (ctx.version !== '2012-10-17') {
      ctx.report('VARIABLE_UNSUPPORTED_IN_VERSION', node, `"${element}" value ${quote(node.value)} contains "\${", which is literal text under Version ${ctx.version}; set "Version": "2012-10-17" to use policy variables`);
      continue;
    }
    const error = variableSyntaxError(node.value);
    if (error !== undefined) ctx.report(error.code, node, `"${element}" value ${quote(node.value)} has an invalid policy variable: ${error.reason}`);
  }
}

/** Checks policy-variable syntax and placement. */
export const variablesCheck: PolicyCheck = {
  name: 'policy variables',
  run(ctx) {
    for (const st of ctx.statements) checkStatement(ctx, st);
  },
};
