/** LISTEN/NOTIFY through the Database interface, on both backends. */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/open.ts';
import { openTestDatabase, type TestDatabase } from '../support/database.ts';
import { describeStorage } from '../support/storage.ts';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Poll until `condition` holds or `ms` pass. */
async function eventually(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await pause(10);
}

describeStorage('listen/notify', (backend) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await openTestDatabase({ backend });
  });
  afterAll(() => test.cleanup());

  it('delivers payloads in order, including quotes and unicode, until unlisten', async () => {
    const heard: string[] = [];
    const unlisten = await test.database.listen('portcullis_test', (payload) => heard.push(payload));
    const payloads = ['1', "it's \"quoted\"", 'ünïcødé ✓'];
    for (const payload of payloads) await test.database.notify('portcullis_test', payload);
    await eventually(() => heard.length === payloads.length);
    expect(heard).toEqual(payloads);

    await unlisten();
    // A second listener on the channel hears both later notifications, in order: once it has the
    // marker, the first listener would have had 'after unlisten' too had it still been subscribed.
    const witness: string[] = [];
    const unlistenWitness = await test.database.listen('portcullis_test', (payload) => witness.push(payload));
    await test.database.notify('portcullis_test', 'after unlisten');
    await test.database.notify('portcullis_test', 'marker');
    await eventually(() => witness.includes('marker'));
    expect(witness).toEqual(['after unlisten', 'marker']);
    expect(heard).toEqual(payloads);
    await unlistenWitness();
  });

  it('keeps channels apart', async () => {
    const heard: string[] = [];
    const unlisten = await test.database.listen('channel_a', (payload) => heard.push(payload));
    // Sent first: had it crossed channels it would arrive before 'a', so no wait afterwards.
    await test.database.notify('channel_b', 'b');
    await test.database.notify('channel_a', 'a');
    await eventually(() => heard.includes('a'));
    expect(heard).toEqual(['a']);
    await unlisten();
  });

  it('answers ping', async () => {
    await expect(test.database.ping()).resolves.toBeUndefined();
  });

  it.runIf(backend === 'postgres')('delivers between separate clients (server instances)', async () => {
    const other = await openDatabase({ databaseUrl: test.url!, dataDir: 'memory://' });
    try {
      const heard: string[] = [];
      const unlisten = await other.listen('portcullis_test', (payload) => heard.push(payload));
      await test.database.notify('portcullis_test', '42');
      await eventually(() => heard.length > 0);
      expect(heard).toEqual(['42']);
      await unlisten();
    } finally {
      await other.close();
    }
  });
});
