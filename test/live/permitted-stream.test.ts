/**
 * PermittedStream: a value waits while its permit is being decided again, goes out when the permit
 * is allowed, and never goes out once it is refused; a refusal also ends a stream waiting for its
 * next value, and ending the stream releases its source and permit.
 */
import { describe, expect, it } from 'vitest';
import type { LivePermit } from '../../src/live/live-permits.ts';
import { LiveQueue } from '../../src/live/live-queue.ts';
import { PermittedStream } from '../../src/live/permitted-stream.ts';

/** A permit whose decision the test controls. */
function fakePermit() {
  let pending: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  let undecided = false;
  const state = { closed: false };
  const permit = {
    whenAllowed: () => (undecided ? new Promise<void>((resolve, reject) => (pending = { resolve, reject })) : undefined),
    close: () => {
      state.closed = true;
    },
  } as unknown as LivePermit;
  return {
    permit,
    state,
    hold: () => {
      undecided = true;
    },
    allow: () => {
      undecided = false;
      pending?.resolve();
    },
    refuse: (error: unknown) => pending?.reject(error),
  };
}

describe('PermittedStream', () => {
  it('holds a value while its permit is undecided and lets it go once allowed', async () => {
    const source = new LiveQueue<number>();
    const control = fakePermit();
    const stream = new PermittedStream(source, { toWireError: (e) => e }).guardedBy(control.permit);
    source.push(1);
    expect(await stream.next()).toEqual({ value: 1, done: false });
    control.hold();
    source.push(2);
    let settled = false;
    const next = stream.next().then((r) => {
      settled = true;
      return r;
    });
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    control.allow();
    expect(await next).toEqual({ value: 2, done: false });
  });

  it('drops a held value and ends with the refusal, releasing the source and the permit', async () => {
    let released = false;
    const source = new LiveQueue<number>({ onClose: () => (released = true) });
    const control = fakePermit();
    const stream = new PermittedStream(source, { toWireError: (e) => ({ wire: e }) }).guardedBy(control.permit);
    control.hold();
    source.push(1);
    const next = stream.next();
    await new Promise((r) => setImmediate(r));
    const refusal = new Error('refused');
    stream.fail(refusal);
    control.refuse(refusal);
    await expect(next).rejects.toEqual({ wire: refusal });
    expect(await stream.next()).toEqual({ value: undefined, done: true });
    expect(released).toBe(true);
    expect(control.state.closed).toBe(true);
  });

  it('ends a stream that is waiting for its next value as soon as it fails', async () => {
    const source = new LiveQueue<number>();
    const control = fakePermit();
    const stream = new PermittedStream(source, { toWireError: (e) => e }).guardedBy(control.permit);
    const next = stream.next();
    stream.fail(new Error('credential revoked'));
    await expect(next).rejects.toThrow('credential revoked');
    source.push(1);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });
});
