import { afterEach, describe, expect, it } from 'vitest';
import { createTestStorage, startTestServer } from '../support/server.ts';
import type { StorageBackend, TestStorage } from '../support/server.ts';

// PGlite always (it is what `npm start` uses by default), PostgreSQL too when the run has one.
const backends: StorageBackend[] = process.env['TEST_DATABASE_URL'] ? ['pglite', 'postgres'] : ['pglite'];

let storage: TestStorage | undefined;
afterEach(async () => {
  await storage?.destroy();
  storage = undefined;
});

describe.each(backends)('restarting on the same data (%s)', (backend) => {
  it('bootstraps once, then reuses the database without a second bootstrap', async () => {
    storage = await createTestStorage(backend);

    const first = await startTestServer({ storage });
    expect(first.running.app.database.kind).toBe(backend);
    expect(first.announcements).toHaveLength(1);
    expect(first.announcements[0]).toContain('secret access key:');
    expect(first.logs.find((line) => line['msg'] === 'account bootstrapped')).toMatchObject({ created: true });
    await first.close();

    const second = await startTestServer({ storage });
    try {
      expect(second.announcements).toEqual([]);
      expect(second.logs.find((line) => line['msg'] === 'account already exists')).toMatchObject({ created: false });
      const response = await second.gql('{ __typename }');
      expect(response.body).toEqual({ data: { __typename: 'Query' } });
    } finally {
      await second.close();
    }
  }, 120_000);

  it('shows nothing when the root access key and password are given', async () => {
    storage = await createTestStorage(backend);
    const server = await startTestServer({
      storage,
      env: {
        PORTCULLIS_ROOT_ACCESS_KEY: 'AKIAPORTCULLISTEST01:abcdefghijklmnopqrstuvwxyz0123456789ABCD',
        PORTCULLIS_ROOT_PASSWORD: 'a long enough password',
      },
    });
    try {
      expect(server.announcements).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);
});
