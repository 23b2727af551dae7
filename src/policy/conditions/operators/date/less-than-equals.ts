/** `DateLessThanEquals`: date comparison (ISO 8601 or epoch seconds), request value <= policy value. */
import { defineOperator } from '../../operator.ts';
import { dateRequest, parseDate } from '../../parse/date.ts';
import { joinParts } from '../../../variables.ts';

/** DateLessThanEquals. */
export const dateLessThanEquals = defineOperator<number, number>({
  name: 'DateLessThanEquals',
  variables: false,
  preparePolicy: (parts) => parseDate(joinParts(parts)),
  request: dateRequest,
  matches: (request, policy) => request <= policy,
});
