/** `NumericLessThanEquals`: numeric comparison, request value <= policy value. */
import { defineOperator } from '../../operator.ts';
import { numberRequest, parseNumber } from '../../parse/number.ts';
import { joinParts } from '../../../variables.ts';

/** NumericLessThanEquals. */
export const numericLessThanEquals = defineOperator<number, number>({
  name: 'NumericLessThanEquals',
  variables: false,
  preparePolicy: (parts) => parseNumber(joinParts(parts)),
  request: numberRequest,
  matches: (request, policy) => request <= policy,
});
