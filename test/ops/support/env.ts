/** The root credential the ops tests start servers with. */
export const ROOT_KEY_ID = 'AKIAOPSTESTROOT00001';
export const ROOT_SECRET = 'opsTestRootSecret0123456789abcdefghijklm';
/** `Basic base64(id:secret)` for the root key. */
export const ROOT_AUTH = `Basic ${Buffer.from(`${ROOT_KEY_ID}:${ROOT_SECRET}`).toString('base64')}`;
/** Environment giving a test server that root key (rate limits off unless a test sets them). */
export const ROOT_ENV: Readonly<Record<string, string>> = {
  PORTCULLIS_ACCOUNT_ID: '111122223333',
  PORTCULLIS_ROOT_ACCESS_KEY: `${ROOT_KEY_ID}:${ROOT_SECRET}`,
  RATE_LIMIT_PER_SECOND: '0',
};
