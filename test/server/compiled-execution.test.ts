/**
 * Subscriptions under useCompiledExecution: the source stream is created with the subscribe
 * resolver's arguments coerced from variables and literals, and every event, executed by
 * graphql-jit, is what Yoga's standard executor gives for the same operation, including the
 * errors (variables that do not coerce, a failing subscribe resolver, a failing source stream)
 * and the release of the source stream when the client stops listening.
 */
import { GraphQLError } from 'graphql';
import { createSchema, createYoga, isAsyncIterable } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { useCompiledExecution } from '../../src/server/compiled-execution.ts';

interface Tick {
  readonly n: number;
  readonly prefix: string;
  readonly level: string;
}

/** What the subscribe resolvers were called with, and which source streams were released. */
const seen: Array<Record<string, unknown>> = [];
const released: string[] = [];

const schema = createSchema({
  typeDefs: /* GraphQL */ `
    enum Level {
      LOW
      HIGH
    }
    input TickFilter {
      level: Level = LOW
      tags: [String!]
    }
    type Note {
      text: String!
      level: Level!
    }
    type Tick {
      n: Int!
      label(upper: Boolean = false): String!
      note: Note
      "Which executor called this resolver, read from the stack."
      executor: String!
    }
    type Query {
      ok: Boolean
    }
    type Subscription {
      ticks(count: Int!, prefix: String!, filter: TickFilter, stream: String): Tick!
      refused: Tick!
      failing(after: Int!): Tick!
    }
  `,
  resolvers: {
    Level: { LOW: 'low', HIGH: 'high' },
    Tick: {
      label: (t: Tick, { upper }: { upper: boolean }) => (upper ? `${t.prefix}-${t.n}`.toUpperCase() : `${t.prefix}-${t.n}`),
      note: (t: Tick) => (t.n % 2 === 0 ? { text: `even ${t.n}`, level: t.level } : null),
      executor: () => {
        const stack = new Error().stack ?? '';
        return ['graphql-jit', '@graphql-tools/executor'].find((name) => stack.includes(`node_modules/${name}/`)) ?? 'unknown';
      },
    },
    Subscription: {
      ticks: {
        subscribe: async function* (_root: unknown, args: { count: number; prefix: string; filter?: { level: string }; stream?: string }) {
          seen.push(args);
          try {
            for (let n = 1; n <= args.count; n++) yield { n, prefix: args.prefix, level: args.filter?.level ?? 'low' };
          } finally {
            if (args.stream !== undefined) released.push(args.stream);
          }
        },
        resolve: (tick: Tick) => tick,
      },
      refused: {
        subscribe: () => {
          throw new GraphQLError('not allowed to watch', { extensions: { code: 'ACCESS_DENIED' } });
        },
      },
      failing: {
        subscribe: async function* (_root: unknown, { after }: { after: number }) {
          for (let n = 1; n <= after; n++) yield { n, prefix: 'f', level: 'low' };
          throw new Error('source broke: secret=hunter2');
        },
        resolve: (tick: Tick) => tick,
      },
    },
  },
});

const yogas = {
  standard: createYoga({ schema, logging: false }),
  compiled: createYoga({ schema, logging: false, plugins: [useCompiledExecution()] }),
};
type Kind = keyof typeof yogas;

interface Outcome {
  /** The single result when no stream was opened. */
  result?: unknown;
  events?: unknown[];
  /** What the response stream threw, as JSON. */
  thrown?: unknown;
}

/** Runs one subscription through Yoga's envelop (as the graphql-ws server does), reading at most `take` events. */
async function run(kind: Kind, query: string, variables: Record<string, unknown> = {}, take = Infinity): Promise<Outcome> {
  const { schema: enveloped, parse, validate, contextFactory, subscribe } = yogas[kind].getEnveloped({ request: new Request('http://localhost/graphql') });
  const document = parse(query);
  expect(validate(enveloped, document)).toEqual([]);
  const result = await subscribe({ schema: enveloped, document, variableValues: variables, contextValue: await contextFactory() });
  const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
  if (!isAsyncIterable(result)) return { result: json(result) };
  const events: unknown[] = [];
  try {
    for await (const event of result) {
      events.push(json(event));
      if (events.length >= take) break;
    }
  } catch (error) {
    return { events, thrown: json(error instanceof GraphQLError ? error.toJSON() : { message: String(error) }) };
  }
  return { events };
}

/** The outcome of `query` on the compiled path, after checking the standard executor gives the same. */
async function compiledLikeStandard(query: string, variables: Record<string, unknown> = {}, take = Infinity): Promise<Outcome> {
  const standard = await run('standard', query, variables, take);
  const compiled = await run('compiled', query, variables, take);
  expect(compiled).toEqual(standard);
  return compiled;
}

const TICKS = `subscription ($count: Int!, $filter: TickFilter, $upper: Boolean!, $withNote: Boolean!) {
  t: ticks(count: $count, prefix: "tick", filter: $filter) {
    n
    label(upper: $upper)
    plain: label
    note @include(if: $withNote) { text level }
  }
}`;

describe('subscriptions under compiled execution', () => {
  it('passes variable-bound and literal arguments to the subscribe resolver, coerced', async () => {
    seen.length = 0;
    await run('compiled', TICKS, { count: 2, filter: { level: 'HIGH', tags: 'one' }, upper: false, withNote: false });
    await run('compiled', 'subscription ($p: String!) { ticks(count: 1, prefix: $p) { n } }', { p: 'from-variable' });
    expect(seen).toEqual([
      { count: 2, prefix: 'tick', filter: { level: 'high', tags: ['one'] } },
      { count: 1, prefix: 'from-variable' },
    ]);
  });

  it('executes every event with the selection set, aliases, field arguments and directives bound to variables', async () => {
    const outcome = await compiledLikeStandard(TICKS, { count: 3, filter: { level: 'HIGH' }, upper: true, withNote: true });
    expect(outcome).toEqual({
      events: [
        { data: { t: { n: 1, label: 'TICK-1', plain: 'tick-1', note: null } } },
        { data: { t: { n: 2, label: 'TICK-2', plain: 'tick-2', note: { text: 'even 2', level: 'HIGH' } } } },
        { data: { t: { n: 3, label: 'TICK-3', plain: 'tick-3', note: null } } },
      ],
    });
    const without = await compiledLikeStandard(TICKS, { count: 2, upper: false, withNote: false });
    expect(without.events).toEqual([{ data: { t: { n: 1, label: 'tick-1', plain: 'tick-1' } } }, { data: { t: { n: 2, label: 'tick-2', plain: 'tick-2' } } }]);
  });

  it('executes the events with graphql-jit, where the standard executor uses @graphql-tools/executor', async () => {
    const query = 'subscription { ticks(count: 2, prefix: "e") { executor } }';
    expect((await run('standard', query)).events).toEqual(Array(2).fill({ data: { ticks: { executor: '@graphql-tools/executor' } } }));
    expect((await run('compiled', query)).events).toEqual(Array(2).fill({ data: { ticks: { executor: 'graphql-jit' } } }));
  });

  it('gives each subscriber of one document its own variables', async () => {
    const query = 'subscription ($p: String!, $c: Int!) { ticks(count: $c, prefix: $p) { label } }';
    const [a, b] = await Promise.all([run('compiled', query, { p: 'a', c: 1 }), run('compiled', query, { p: 'b', c: 2 })]);
    expect(a.events).toEqual([{ data: { ticks: { label: 'a-1' } } }]);
    expect(b.events).toEqual([{ data: { ticks: { label: 'b-1' } } }, { data: { ticks: { label: 'b-2' } } }]);
  });

  it('reports variables that do not coerce as the standard executor does (BAD_USER_INPUT, no stream)', async () => {
    seen.length = 0;
    const outcome = await compiledLikeStandard(TICKS, { count: 'three', upper: false, withNote: false });
    expect(outcome.events).toBeUndefined();
    expect(JSON.stringify(outcome.result)).toContain('BAD_USER_INPUT');
    expect(seen).toEqual([]);
  });

  it("reports a subscribe resolver's error as the standard executor does", async () => {
    const outcome = await compiledLikeStandard('subscription { refused { n } }');
    expect(outcome.result).toMatchObject({ errors: [{ message: 'not allowed to watch', path: ['refused'], extensions: { code: 'ACCESS_DENIED' } }] });
  });

  it("ends with a source stream's error, masked, as the standard executor does", async () => {
    const outcome = await compiledLikeStandard('subscription { failing(after: 2) { n } }');
    expect(outcome.events).toEqual([{ data: { failing: { n: 1 } } }, { data: { failing: { n: 2 } } }]);
    expect(outcome.thrown).toBeDefined();
    expect(JSON.stringify(outcome.thrown)).not.toContain('hunter2');
  });

  it('releases the source stream when the client stops listening', async () => {
    released.length = 0;
    const outcome = await compiledLikeStandard('subscription ($s: String) { ticks(count: 1000, prefix: "r", stream: $s) { n } }', { s: 'x' }, 2);
    expect(outcome.events).toHaveLength(2);
    expect(released).toEqual(['x', 'x']);
  });
});

describe('queries and mutations under compiled execution', () => {
  it('runs the operation the request names when one document holds several', async () => {
    // Compiled code is cached per document; the operation name must still choose what runs.
    const query = 'query Ok { ok } query Typename { __typename }';
    const ask = async (operationName: string) => {
      const response = await yogas.compiled.fetch('http://localhost/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, operationName }),
      });
      return response.json();
    };
    expect(await ask('Ok')).toEqual({ data: { ok: null } });
    expect(await ask('Typename')).toEqual({ data: { __typename: 'Query' } });
    expect(await ask('Ok')).toEqual({ data: { ok: null } });
  });
});
