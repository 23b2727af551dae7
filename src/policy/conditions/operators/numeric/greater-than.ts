/** `NumericGreaterThan`: numeric comparison, request value > policy value. */
import { defineOperator } from '../../operator.ts';
import { numberRequest, parseNumber } from '../../parse/number.ts';
import { joinParts } from '../../../variables.ts';

/** NumericGreaterThan. */
export const numericGreaterThan = defineOperator<number, number>({
  name: 'NumericGreaterThan',
  variables: false,
  preparePolicy: (parts) => parseNumber(joinParts(parts)),
  request: numberRequest,
  matches: (request, policy) => request > policy,
});
