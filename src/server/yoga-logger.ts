import type { YogaLogger } from 'graphql-yoga';
import type { Logger } from '../logger.ts';

/** Routes Yoga's own log calls into pino, so every line is JSON with the same redaction. */
export function yogaLogger(logger: Logger): YogaLogger {
  const child = logger.child({ component: 'yoga' });
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const [first, ...rest] = args;
    if (first instanceof Error) child[level]({ err: first, details: rest }, first.message);
    else child[level]({ details: rest.length > 0 ? rest : undefined }, String(first));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}
