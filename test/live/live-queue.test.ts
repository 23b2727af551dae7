/**
 * LiveQueue, the async iterator live subscriptions hand to GraphQL: push order, the end and a
 * failure only after what was pushed before them, returning runs the close hook exactly once,
 * and the drain hook fires when a held-back producer may resume.
 */
import { describe, expect, it } from 'vitest';
import { LiveQueue } from '../../src/live/live-queue.ts';

describe('LiveQueue', () => {
  it('delivers values in push order, to a waiting consumer as well as from the buffer', async () => {
    const queue = new LiveQueue<number>();
    const waiting = queue.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(queue.length).toBe(2);
    const seen: number[] = [];
    queue.end();
    for await (const value of queue) seen.push(value);
    expect(seen).toEqual([2, 3]);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('throws a failure once the values pushed before it are taken, then reports done', async () => {
    let closes = 0;
    const queue = new LiveQueue<string>({ onClose: () => closes++ });
    queue.push('a');
    queue.fail(new Error('revoked'));
    queue.push('ignored');
    expect(await queue.next()).toEqual({ value: 'a', done: false });
    await expect(queue.next()).rejects.toThrow('revoked');
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(closes).toBe(1);
  });

  it('wakes a waiting consumer with the failure', async () => {
    const queue = new LiveQueue<string>();
    const waiting = queue.next();
    queue.fail(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
  });

  it('returning drops the buffer, ends a waiting next and closes exactly once, even if never read', async () => {
    let closes = 0;
    const unread = new LiveQueue<number>({ onClose: () => closes++ });
    unread.push(1);
    expect(await unread.return()).toEqual({ value: undefined, done: true });
    await unread.return();
    expect(closes).toBe(1);
    expect(await unread.next()).toEqual({ value: undefined, done: true });
    unread.push(2);
    expect(unread.length).toBe(0);

    const waited = new LiveQueue<number>({ onClose: () => closes++ });
    const waiting = waited.next();
    await waited.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(closes).toBe(2);
  });

  it('calls onDrain when a take brings the buffer down to the low-water mark', async () => {
    let drains = 0;
    const queue = new LiveQueue<number>({ lowWater: 2, onDrain: () => drains++ });
    for (let i = 0; i < 4; i++) queue.push(i);
    await queue.next();
    expect(drains).toBe(0);
    await queue.next();
    expect(drains).toBe(1);
    await queue.next();
    expect(drains).toBe(1);
  });

  it('keeps order across many values (buffer compaction)', async () => {
    const queue = new LiveQueue<number>();
    const seen: number[] = [];
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 3000; i++) queue.push(round * 3000 + i);
      for (let i = 0; i < 2500; i++) seen.push((await queue.next()).value as number);
    }
    queue.end();
    for await (const value of queue) seen.push(value);
    expect(seen).toEqual(Array.from({ length: 9000 }, (_, i) => i));
  });
});
