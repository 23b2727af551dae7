/** `DateGreaterThanEquals`: date comparison (ISO 8601 or epoch seconds), request value >= policy value. */
import { defineOperator } from '../../operator.ts';
import { dateRequest, parseDate } from '../../parse/date.ts';
import { joinParts } from '../../../variables.ts';

/** DateGreaterThanEquals. */
export const dateGreaterThanEquals = defineOperator<number, number>({
  name: 'DateGreaterThanEquals',
  variables: false,
  preparePolicy: (parts) => parseDate(joinParts(parts)),
  request: dateRequest,
  matches: (request, policy) => request >= policy,
});
