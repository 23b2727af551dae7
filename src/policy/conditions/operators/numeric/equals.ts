/** `NumericEquals`: numeric comparison, request value === policy value. */
import { defineOperator } from '../../operator.ts';
import { numberRequest, parseNumber } from '../../parse/number.ts';
import { joinParts } from '../../../variables.ts';

/** NumericEquals (negated: NumericNotEquals). */
export const numericEquals = defineOperator<number, number>({
  name: 'NumericEquals',
  variables: false,
  preparePolicy: (parts) => parseNumber(joinParts(parts)),
  request: numberRequest,
  matches: (request, policy) => request === policy,
});
