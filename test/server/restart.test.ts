import { afterEach, expect, it } from 'vitest';
import { createTestStorage, startTestServer } from '../support/server.ts';
import type { TestStorage } from '../support/server.ts';
import { describeStorage } from '../support/storage.ts';
import * as tables from '../../src/db/schema/index.ts';
import { StartupError } from '../../src/server/startup-error.ts';

let storage: TestStorage | undefined;
afterEach(async () => {
  await storage?.destroy();
  storage = undefined;
});

describeStorage('restarting on the same data', (backend) => {
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

describeStorage('restarting with another PORTCULLIS_ACCOUNT_ID', (backend) => {
  it("refuses to start, naming both ids, and leaves the database's accounts as they were", async () => {
    storage = await createTestStorage(backend);
    const first = await startTestServer({ storage, env: { PORTCULLIS_ACCOUNT_ID: '111122223333' } });
    expect(first.logs.find((line) => line['msg'] === 'organization created')).toMatchObject({ created: true });
    await first.close();

    const refused = startTestServer({ storage, env: { PORTCULLIS_ACCOUNT_ID: '999988887777' } });
    await expect(refused).rejects.toBeInstanceOf(StartupError);
    await expect(refused).rejects.toThrow(/PORTCULLIS_ACCOUNT_ID is 999988887777 but this database's organization is managed by account 111122223333/);

    const again = await startTestServer({ storage, env: { PORTCULLIS_ACCOUNT_ID: '111122223333' } });
    try {
      expect(again.logs.find((line) => line['msg'] === 'organization already exists')).toMatchObject({ created: false });
      const accounts = await again.running.app.database.db.select({ id: tables.accounts.id }).from(tables.accounts);
      expect(accounts.map((a) => a.id)).toEqual(['111122223333']);
    } finally {
      await again.close();
    }
  }, 120_000);
});
