import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { startServer } from '../../src/server/http.ts';
import { createLogger } from '../../src/logger.ts';
import { StartupError } from '../../src/server/startup-error.ts';
import type { StartupStep } from '../../src/server/startup.ts';
import { formatGeneratedCredentials } from '../../src/server/startup.ts';
import { createTestStorage } from '../support/server.ts';
import type { TestStorage } from '../support/server.ts';

let storage: TestStorage | undefined;
afterEach(async () => {
  await storage?.destroy();
  storage = undefined;
});

/** True when something can bind `port` on 127.0.0.1 again. */
function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('start-up steps', () => {
  it('runs the steps in order and names the one that fails', async () => {
    storage = await createTestStorage();
    const config = loadConfig({ ...storage.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    const ran: string[] = [];
    let boundPort = 0;
    const steps: StartupStep[] = [
      { name: 'first', run: async () => void ran.push('first') },
      {
        name: 'explode',
        run: async ({ database }) => {
          ran.push('explode');
          await database.ping(); // the database is open while steps run
          throw new Error('boom\nsecond line is dropped');
        },
      },
      { name: 'never', run: async () => void ran.push('never') },
    ];

    const failure = startServer(config, {
      logger: createLogger('silent'),
      steps,
      attachments: [
        {
          name: 'spy',
          attach: async (server) => {
            boundPort = (server.address() as { port: number }).port;
            return async () => {};
          },
        },
      ],
    });
    await expect(failure).rejects.toBeInstanceOf(StartupError);
    await expect(failure).rejects.toThrow(/^start-up step 'explode' failed: boom$/);
    expect(ran).toEqual(['first', 'explode']);
    // Attachments come after the steps, so none was attached.
    expect(boundPort).toBe(0);
  }, 60_000);

  it('closes the listening socket when start-up fails', async () => {
    storage = await createTestStorage();
    const probe = createServer();
    const port = await new Promise<number>((resolve) => probe.listen(0, '127.0.0.1', () => resolve((probe.address() as { port: number }).port)));
    await new Promise((resolve) => probe.close(resolve));

    const config = loadConfig({ ...storage.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent' });
    const steps: StartupStep[] = [{ name: 'fail', run: async () => { throw new Error('no'); } }];
    await expect(startServer(config, { logger: createLogger('silent'), steps })).rejects.toThrow("start-up step 'fail' failed: no");
    expect(await portIsFree(port)).toBe(true);
  }, 60_000);
});

describe('formatGeneratedCredentials', () => {
  it('shows only what was generated, labelled, with the account and user name', () => {
    const text = formatGeneratedCredentials('111122223333', { password: 'pw-generated-1' });
    expect(text).toContain('Portcullis root credentials (shown once)');
    expect(text).toContain('account id:        111122223333');
    expect(text).toContain('user name:         root');
    expect(text).toContain('sign-in password:  pw-generated-1');
    expect(text).not.toContain('access key id');
    expect(text).not.toContain('secret access key');
  });

  it('shows nothing when nothing was generated', () => {
    expect(formatGeneratedCredentials('111122223333', {})).toBeUndefined();
  });
});
