import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

const cwd = '/srv/portcullis';

/** The ConfigError message loadConfig throws for `env`. */
function errorFor(env: Record<string, string>): string {
  try {
    loadConfig(env, cwd);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadConfig({}, cwd);
    // toMatchObject: other layers add their own variables to Config.
    expect(config).toMatchObject({
      port: 4000,
      host: undefined,
      databaseUrl: undefined,
      dataDir: path.join(cwd, '.data'),
      accountId: '111122223333',
      rootAccessKey: undefined,
      rootPassword: undefined,
      logLevel: 'info',
      nodeEnv: 'development',
      dbPoolSize: 10,
      dbStatementTimeoutMs: 30_000,
      dbConnectTimeoutMs: 10_000,
      shutdownTimeoutMs: 10_000,
      subscriptionsPerConnection: 100,
      wsKeepAliveMs: 12_000,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads every variable', () => {
    const config = loadConfig(
      {
        PORT: '0',
        HOST: '127.0.0.1',
        DATABASE_URL: 'postgresql://app:pw@db.internal:5433/iam',
        DATA_DIR: '/var/lib/portcullis',
        PORTCULLIS_ACCOUNT_ID: '123456789012',
        PORTCULLIS_ROOT_ACCESS_KEY: 'AKIAIOSFODNN7EXAMPLE:wJalrXUtnFEMI/K7MDENG/bPxRfiCY:EXAMPLEKEY',
        PORTCULLIS_ROOT_PASSWORD: 'correct horse battery',
        LOG_LEVEL: 'debug',
        NODE_ENV: 'production',
        DB_POOL_SIZE: '25',
        DB_STATEMENT_TIMEOUT_MS: '0',
        DB_CONNECT_TIMEOUT_MS: '500',
        SHUTDOWN_TIMEOUT_MS: '2500',
      },
      cwd,
    );
    expect(config).toMatchObject({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://app:pw@db.internal:5433/iam',
      dataDir: '/var/lib/portcullis',
      accountId: '123456789012',
      // The secret may itself contain colons: only the first one separates.
      rootAccessKey: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY:EXAMPLEKEY' },
      rootPassword: 'correct horse battery',
      logLevel: 'debug',
      nodeEnv: 'production',
      dbPoolSize: 25,
      dbStatementTimeoutMs: 0,
      dbConnectTimeoutMs: 500,
      shutdownTimeoutMs: 2500,
    });
  });

  it('treats an empty assignment as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }, cwd)).toMatchObject({ port: 4000, databaseUrl: undefined });
  });

  it.each([
    [{ PORT: 'abc' }, "PORT must be an integer from 0 to 65535, got 'abc'"],
    [{ PORT: '65536' }, "PORT must be an integer from 0 to 65535, got '65536'"],
    [{ PORT: '-1' }, "PORT must be an integer from 0 to 65535, got '-1'"],
    [{ PORT: '80.5' }, "PORT must be an integer from 0 to 65535, got '80.5'"],
    [{ DATABASE_URL: 'mysql://db/iam' }, "DATABASE_URL must be a postgres:// or postgresql:// URL with a host, got 'mysql://db/iam'"],
    [{ DATABASE_URL: 'not a url' }, "DATABASE_URL must be a postgres:// or postgresql:// URL with a host, got 'not a url'"],
    [{ PORTCULLIS_ACCOUNT_ID: '12345' }, "PORTCULLIS_ACCOUNT_ID must be exactly 12 digits, got '12345'"],
    [{ PORTCULLIS_ACCOUNT_ID: '12345678901a' }, "PORTCULLIS_ACCOUNT_ID must be exactly 12 digits, got '12345678901a'"],
    [{ LOG_LEVEL: 'loud' }, "LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got 'loud'"],
    [{ NODE_ENV: 'staging' }, "NODE_ENV must be one of development, production, test, got 'staging'"],
    [{ DB_POOL_SIZE: '0' }, "DB_POOL_SIZE must be an integer from 1 to 1000, got '0'"],
    [{ DB_STATEMENT_TIMEOUT_MS: '1e3' }, "DB_STATEMENT_TIMEOUT_MS must be an integer from 0 to 3600000, got '1e3'"],
    [{ DB_CONNECT_TIMEOUT_MS: '10' }, "DB_CONNECT_TIMEOUT_MS must be an integer from 100 to 600000, got '10'"],
    [{ SHUTDOWN_TIMEOUT_MS: 'soon' }, "SHUTDOWN_TIMEOUT_MS must be an integer from 0 to 600000, got 'soon'"],
  ])('rejects %o', (env, message) => {
    expect(errorFor(env)).toBe(message);
  });

  it('names the rule for the root access key without echoing the secret', () => {
    expect(errorFor({ PORTCULLIS_ROOT_ACCESS_KEY: 'no-colon-here-secret' })).toBe(
      'PORTCULLIS_ROOT_ACCESS_KEY must be ACCESS_KEY_ID:SECRET, got a value with no colon (value hidden)',
    );
    expect(errorFor({ PORTCULLIS_ROOT_ACCESS_KEY: 'AKIA:abcdefghijklmnopqrstuvwxyz' })).toBe(
      "PORTCULLIS_ROOT_ACCESS_KEY must be ACCESS_KEY_ID:SECRET with an ACCESS_KEY_ID of 16 to 128 letters, digits or underscores, got access key id 'AKIA'",
    );
    const short = errorFor({ PORTCULLIS_ROOT_ACCESS_KEY: 'AKIAIOSFODNN7EXAMPLE:hunter2' });
    expect(short).toBe(
      'PORTCULLIS_ROOT_ACCESS_KEY must be ACCESS_KEY_ID:SECRET with a SECRET of 16 to 128 non-space characters, got a secret of 7 characters (value hidden)',
    );
    expect(short).not.toContain('hunter2');
  });

  it('names the rule for the root password without echoing it', () => {
    const message = errorFor({ PORTCULLIS_ROOT_PASSWORD: 'short' });
    expect(message).toBe('PORTCULLIS_ROOT_PASSWORD must be 8 to 128 characters long, got 5 characters (value hidden)');
    expect(errorFor({ PORTCULLIS_ROOT_PASSWORD: 'x'.repeat(129) })).toContain('got 129 characters');
  });

  it('hides the password of a rejected DATABASE_URL', () => {
    const message = errorFor({ DATABASE_URL: 'mysql://app:s3cret@db/iam' });
    expect(message).not.toContain('s3cret');
    expect(message).toContain("got 'mysql://app:***@db/iam'");
  });

  it('accepts READ_DATABASE_URL only as a postgres URL next to DATABASE_URL, hiding its password', () => {
    const primary = 'postgres://app@primary/iam';
    expect(loadConfig({ DATABASE_URL: primary, READ_DATABASE_URL: 'postgres://app@replica/iam' }, cwd).readDatabaseUrl).toBe('postgres://app@replica/iam');
    expect(loadConfig({ DATABASE_URL: primary }, cwd).readDatabaseUrl).toBeUndefined();
    expect(errorFor({ READ_DATABASE_URL: 'postgres://app:s3cret@replica/iam' })).toBe(
      "READ_DATABASE_URL must be set only together with DATABASE_URL, got 'postgres://app:***@replica/iam'",
    );
    expect(errorFor({ DATABASE_URL: primary, READ_DATABASE_URL: 'mysql://replica/iam' })).toBe(
      "READ_DATABASE_URL must be a postgres:// or postgresql:// URL with a host, got 'mysql://replica/iam'",
    );
  });

  it('resolves DATA_DIR against the working directory', () => {
    expect(loadConfig({ DATA_DIR: 'state/db' }, cwd).dataDir).toBe(path.join(cwd, 'state/db'));
  });
});
