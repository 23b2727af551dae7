/** `StringLike`: case-sensitive match where `*` and `?` in the policy value are wildcards. */
import { defineOperator } from '../../operator.ts';
import { compileGlob, type StringMatcher } from '../../../match/glob.ts';

/** StringLike (negated: StringNotLike). */
export const stringLike = defineOperator<StringMatcher, string>({
  name: 'StringLike',
  variables: true,
  preparePolicy: (parts) => compileGlob(parts, false),
  matches: (request, policy) => policy(request),
});
