/**
 * Principal and NotPrincipal: required in resource and trust policies, unsupported elsewhere;
 * "*" or a map of known principal types to well-formed values; Allow with NotPrincipal warned.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notprincipal.html
 */
import type { ObjectMember } from '../../parse/json-node.ts';
import type { PolicyCheck } from '../check.ts';
import { keyLocation, quote, type ValidationContext, kindPhrase } from '../context.ts';
import { KIND_RULES } from '../grammar.ts';
import { describeType } from '../json-types.ts';
import { PRINCIPAL_TYPES, principalSyntaxError } from '../principal-syntax.ts';
import { didYouMean } from '../suggest.ts';

function checkPrincipalValue(ctx: ValidationContext, element: ObjectMember): void {
  const value = element.value;
  if (value.type === 'string') {
    if (value.value !== '*') {
      ctx.report('INVALID_PRINCIPAL_FORMAT', value, `"${element.key}" ${quote(value.value)} is not valid; use "*" or an object such as {"AWS": "123456789012"}`);
    }
    return;
  }
  if (value.type !== 'object') {
    ctx.report('DATA_TYPE_MISMATCH', value, `"${element.key}" must be "*" or an object, not ${describeType(value)}`);
    return;
  }
  if (value.members.length === 0) ctx.report('EMPTY_OBJECT_PRINCIPAL', value, `"${element.key}" is an empty object and matches no principal`);
  for (const entry of value.members) {
    const type = PRINCIPAL_TYPES.find((t) => t === entry.key);
    if (type === undefined) {
      ctx.report('INVALID_PRINCIPAL_KEY', keyLocation(entry), `principal type ${quote(entry.key)} is not valid; use "AWS", "Service", "Federated" or "CanonicalUser"${didYouMean(entry.key, PRINCIPAL_TYPES)}`);
      continue;
    }
    const items = entry.value.type === 'array' ? entry.value.items : [entry.value];
    if (entry.value.type === 'array' && items.length === 0) ctx.report('EMPTY_ARRAY_PRINCIPAL', entry.value, `principal type "${type}" has an empty array of values`);
    for (const item of items) {
      if (item.type !== 'string') {
        ctx.report('DATA_TYPE_MISMATCH', item, `"${type}" principal values must be strings, not ${describeType(item)}`);
        continue;
      }
      if (item.value.includes('${')) continue; // reported by the policy-variable check
      const error = principalSyntaxError(type, item.value);
      if (error !== undefined) ctx.report(error.code, item, `"${type}" principal ${quote(item.value)} is not valid: ${error.reason}`);
    }
  }
}

/** Checks presence, shape and values of Principal/NotPrincipal. */
export const principalCheck: PolicyCheck = {
  name: 'principal',
  run(ctx) {
    const rule = KIND_RULES[ctx.kind].principal;
    for (const st of ctx.statements) {
      const elements = [st.member('Principal'), st.member('NotPrincipal')].filter((m): m is ObjectMember => m !== undefined);
      if (rule === 'forbidden') {
        for (const element of elements) {
          ctx.report('UNSUPPORTED_PRINCIPAL', keyLocation(element), `"${element.key}" is not supported in ${kindPhrase(ctx.kind)}; the policy applies to the identity it is attached to`);
        }
        continue;
      }
      if (elements.length === 0) ctx.report('MISSING_PRINCIPAL', st.node, `the statement has no "Principal" or "NotPrincipal", which ${kindPhrase(ctx.kind)} requires`);
      for (const element of elements) checkPrincipalValue(ctx, element);
      const effect = st.member('Effect')?.value;
      const notPrincipal = st.member('NotPrincipal');
      if (notPrincipal !== undefined && effect?.type === 'string' && effect.value === 'Allow') {
        ctx.report('ALLOW_WITH_NOT_PRINCIPAL', keyLocation(notPrincipal), '"Allow" with "NotPrincipal" allows every principal not listed, including anonymous users; use "Principal" instead');
      }
    }
  },
};
