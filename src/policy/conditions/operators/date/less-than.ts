/** `DateLessThan`: date comparison (ISO 8601 or epoch seconds), request value < policy value. */
import { defineOperator } from '../../operator.ts';
import { dateRequest, parseDate } from '../../parse/date.ts';
import { joinParts } from '../../../variables.ts';

/** DateLessThan. */
export const dateLessThan = defineOperator<number, number>({
  name: 'DateLessThan',
  variables: false,
  preparePolicy: (parts) => parseDate(joinParts(parts)),
  request: dateRequest,
  matches: (request, policy) => request < policy,
});
