/** The live-update settings: REDIS_URL, SUBSCRIPTIONS_PER_CONNECTION and WS_KEEPALIVE_MS. */
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.ts';

describe('live-update configuration', () => {
  it('reads the settings', () => {
    const config = loadConfig({ REDIS_URL: 'redis://:pw@cache.internal:6380/2', SUBSCRIPTIONS_PER_CONNECTION: '7', WS_KEEPALIVE_MS: '0' }, '/srv');
    expect(config).toMatchObject({ redisUrl: 'redis://:pw@cache.internal:6380/2', subscriptionsPerConnection: 7, wsKeepAliveMs: 0 });
  });

  it('refuses a REDIS_URL that is not a redis URL, without showing its password', () => {
    let error: unknown;
    try {
      loadConfig({ REDIS_URL: 'http://user:s3cret@cache.internal:6379' }, '/srv');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe('REDIS_URL');
    expect((error as Error).message).not.toContain('s3cret');
  });

  it.each([['SUBSCRIPTIONS_PER_CONNECTION', '0'], ['SUBSCRIPTIONS_PER_CONNECTION', 'many'], ['WS_KEEPALIVE_MS', '-1']])('refuses %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value }, '/srv')).toThrow(new RegExp(`^${name} must be an integer`));
  });
});
