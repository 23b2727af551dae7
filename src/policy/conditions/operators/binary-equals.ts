/** `BinaryEquals`: byte-for-byte comparison of base64-encoded values. */
import { defineOperator, RequestParser } from '../operator.ts';
import { joinParts } from '../../variables.ts';

/** Decode base64 to a canonical base64 string, so equal bytes compare equal as text. */
function canonicalBase64(text: string): string | undefined {
  const t = text.trim();
  if (t === '' || !/^[A-Za-z0-9+/]*={0,2}$/.test(t)) return undefined;
  return Buffer.from(t, 'base64').toString('base64');
}

const binaryRequest = new RequestParser(canonicalBase64);

/** BinaryEquals. */
export const binaryEquals = defineOperator<string, string>({
  name: 'BinaryEquals',
  variables: false,
  preparePolicy: (parts) => canonicalBase64(joinParts(parts)),
  request: binaryRequest,
  matches: (request, policy) => request === policy,
});
