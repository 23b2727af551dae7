/**
 * A response body already serialized: an endpoint whose answer is large and regular (a batch of
 * `evaluations`) writes its JSON text itself, and the HTTP route sends it as it is instead of
 * running JSON.stringify over an object built only to be serialized.
 */
export class JsonText {
  constructor(readonly text: string) {}
}

/** The JSON text of `body`: the text of a JsonText, else JSON.stringify's. */
export function jsonTextOf(body: unknown): string {
  return body instanceof JsonText ? body.text : JSON.stringify(body);
}
