/**
 * `ArnLike` and `ArnEquals`: the "Condition operators" page gives both the same behaviour, a
 * case-sensitive match of each of the six ARN components, with `*` and `?` wildcards; variables allowed.
 */
import { defineOperator, RequestParser } from '../../operator.ts';
import { compileArnPattern, matchArn, splitArn, type ArnMatcher } from '../../../match/arn-pattern.ts';

const arnRequest = new RequestParser(splitArn);

/** ArnLike (negated: ArnNotLike). */
export const arnLike = defineOperator<ArnMatcher, readonly string[]>({
  name: 'ArnLike',
  variables: true,
  preparePolicy: compileArnPattern,
  request: arnRequest,
  matches: (request, policy) => matchArn(policy, request),
});

/** ArnEquals (negated: ArnNotEquals): same matching as ArnLike. */
export const arnEquals = defineOperator<ArnMatcher, readonly string[]>({ ...arnLike, name: 'ArnEquals' });
