/**
 * The Redis the tests may use (TEST_REDIS_URL, default the local 127.0.0.1:6379). Outside CI a
 * suite that needs it is skipped when nothing answers; under CI (`CI` set) a missing Redis fails
 * the suite instead, so a machine without it cannot pass CI untested (.ci/run starts it).
 */
import { createConnection } from 'node:net';

/** The Redis URL tests connect to. */
export const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Whether something answers on the Redis port; throws under CI when nothing does. */
export async function redisReachable(): Promise<boolean> {
  const url = new URL(TEST_REDIS_URL);
  const up = await new Promise<boolean>((resolve) => {
    const socket = createConnection({ host: url.hostname, port: Number(url.port || 6379) });
    socket.setTimeout(500);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
  if (!up && process.env['CI']) throw new Error(`CI needs Redis at ${TEST_REDIS_URL}; .ci/run starts it`);
  return up;
}
