import { pino } from 'pino';
import type { DestinationStream, Logger as PinoLogger } from 'pino';
import type { LogLevel } from './config.ts';

/** The structured JSON logger used everywhere in the server. */
export type Logger = PinoLogger;

/**
 * Property names whose values never reach the log, wherever they appear (up to four levels
 * deep). Headers are lower-case in Node, so `authorization` covers the HTTP header too.
 */
export const SECRET_KEYS = [
  'authorization',
  'cookie',
  'set-cookie',
  'x-amz-security-token',
  'password',
  'newPassword',
  'oldPassword',
  'currentPassword',
  'rootPassword',
  'secret',
  'secretAccessKey',
  'rootAccessKey',
  'secretsKey',
  'sessionToken',
  'token',
  'totp',
  'totpCode',
  'totpSeed',
  'authenticationCode1',
  'authenticationCode2',
  'tokenCode',
  'mfaCode',
  'webIdentityToken',
  'base32StringSeed',
  'otpauthUri',
  'privateKey',
  'databaseUrl',
] as const;

/** The pino redaction paths built from SECRET_KEYS. */
export const REDACTED_PATHS: readonly string[] = SECRET_KEYS.flatMap((key) => {
  // Bracket notation keeps keys with dashes valid redaction paths.
  const leaf = /^\w+$/.test(key) ? key : `["${key}"]`;
  const join = (prefix: string): string => (leaf.startsWith('[') ? `${prefix}${leaf}` : `${prefix}.${leaf}`);
  return [leaf, join('*'), join('*.*'), join('*.*.*')];
});

/** Creates the root logger; `destination` lets tests capture lines instead of writing stdout. */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'portcullis' },
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
