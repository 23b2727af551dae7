/** `DateEquals`: date comparison (ISO 8601 or epoch seconds), request value === policy value. */
import { defineOperator } from '../../operator.ts';
import { dateRequest, parseDate } from '../../parse/date.ts';
import { joinParts } from '../../../variables.ts';

/** DateEquals (negated: DateNotEquals). */
export const dateEquals = defineOperator<number, number>({
  name: 'DateEquals',
  variables: false,
  preparePolicy: (parts) => parseDate(joinParts(parts)),
  request: dateRequest,
  matches: (request, policy) => request === policy,
});
