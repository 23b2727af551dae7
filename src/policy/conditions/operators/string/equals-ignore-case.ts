/** `StringEqualsIgnoreCase`: exact match ignoring case; variables allowed. */
import { defineOperator, RequestParser } from '../../operator.ts';
import { joinParts } from '../../../variables.ts';

const lowerRequest = new RequestParser<string>((v) => v.toLowerCase());

/** StringEqualsIgnoreCase (negated: StringNotEqualsIgnoreCase). */
export const stringEqualsIgnoreCase = defineOperator<string, string>({
  name: 'StringEqualsIgnoreCase',
  variables: true,
  preparePolicy: (parts) => joinParts(parts).toLowerCase(),
  request: lowerRequest,
  matches: (request, policy) => request === policy,
});
