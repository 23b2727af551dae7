/** `Bool`: `true`/`false`, case-insensitive; variables allowed. */
import { defineOperator, RequestParser } from '../operator.ts';
import { joinParts } from '../../variables.ts';

/** Normalise a boolean text, or `undefined` for anything else. */
function parseBool(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  return t === 'true' || t === 'false' ? t : undefined;
}

const boolRequest = new RequestParser(parseBool);

/** Bool. */
export const bool = defineOperator<string, string>({
  name: 'Bool',
  variables: true,
  preparePolicy: (parts) => parseBool(joinParts(parts)),
  request: boolRequest,
  matches: (request, policy) => request === policy,
});
