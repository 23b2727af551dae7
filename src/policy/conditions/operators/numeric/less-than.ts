/** `NumericLessThan`: numeric comparison, request value < policy value. */
import { defineOperator } from '../../operator.ts';
import { numberRequest, parseNumber } from '../../parse/number.ts';
import { joinParts } from '../../../variables.ts';

/** NumericLessThan. */
export const numericLessThan = defineOperator<number, number>({
  name: 'NumericLessThan',
  variables: false,
  preparePolicy: (parts) => parseNumber(joinParts(parts)),
  request: numberRequest,
  matches: (request, policy) => request < policy,
});
