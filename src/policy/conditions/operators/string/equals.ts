/** `StringEquals`: exact, case-sensitive string match; variables allowed. */
import { defineOperator } from '../../operator.ts';
import { joinParts } from '../../../variables.ts';

/** StringEquals (negated: StringNotEquals). */
export const stringEquals = defineOperator<string, string>({
  name: 'StringEquals',
  variables: true,
  preparePolicy: joinParts,
  matches: (request, policy) => request === policy,
});
