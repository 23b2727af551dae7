/**
 * Operations run compiled by graphql-jit: each document is compiled once into a function that
 * coerces variables and builds the result without graphql-js's per-field interpretation.
 *
 * - Queries and mutations: @envelop/graphql-jit. An `authorizeBatch` of 100 spends about a third
 *   less CPU this way (see the closing note of issue 6).
 * - Subscriptions: the source event stream is created by graphql-js (`createSourceEventStream`),
 *   and each event is executed by the document's compiled query function. A live subscriber
 *   gets many events from one document, and running each through @graphql-tools/executor built a
 *   fresh execution context and re-collected the selection set every time.
 *   graphql-jit 0.8.7's own compiled `subscribe` is not used: it calls the subscribe resolver
 *   with the operation's variables as its arguments (`subscriber(rootValue,
 *   executionContext.variables, ...)` in dist/execution.js), so
 *   `permissionsChanged(principalArn: $p)` got `{ p }` and principalArn was undefined.
 *
 * What a subscriber sees is what Yoga's standard executor gives: operations whose execution
 * context cannot be built (unknown operation, variables that do not coerce) go to it unchanged,
 * so their errors keep its BAD_USER_INPUT code; a subscribe resolver's error is a located
 * GraphQLError result, as there; an error thrown by the source stream is wrapped with the
 * operation as its node, as `@graphql-tools/executor`'s `subscribe` does; returning the response
 * stream returns the source stream (so `untilRevoked` and the change-bus listeners are released).
 */
import { useGraphQlJit } from '@envelop/graphql-jit';
import { createSourceEventStream, getOperationAST, Kind, OperationTypeNode, type DocumentNode, type ExecutionArgs, type ExecutionResult, type GraphQLError, type OperationDefinitionNode } from 'graphql';
import { buildExecutionContext } from 'graphql/execution/execute.js';
import { compileQuery, isCompiledQuery } from 'graphql-jit';
import { createGraphQLError, isAsyncIterable, mapAsyncIterator, type Plugin } from 'graphql-yoga';

export function useCompiledExecution(): Plugin {
  const queriesAndMutations = useGraphQlJit(
    {},
    {
      // @envelop/graphql-jit caches by document alone, so a document holding several operations
      // would run whichever was compiled first; those few documents take the standard executor.
      enableIf: (args) => isSingleOperation(args.document) && getOperationAST(args.document, args.operationName)?.operation !== OperationTypeNode.SUBSCRIPTION,
    },
  ) as Plugin;
  const compiled = new CompiledEvents();
  return {
    onExecute: queriesAndMutations.onExecute,
    onSubscribe({ subscribeFn, setSubscribeFn }) {
      const standard = subscribeFn as (args: ExecutionArgs) => unknown;
      setSubscribeFn(((args: ExecutionArgs) => subscribeCompiled(args, compiled, standard)) as typeof subscribeFn);
    },
  };
}

function isSingleOperation(document: DocumentNode): boolean {
  let operations = 0;
  for (const definition of document.definitions) if (definition.kind === Kind.OPERATION_DEFINITION) operations++;
  return operations === 1;
}

/** Executes one event (the source stream's payload) of a subscription document. */
type EventExecutor = (payload: unknown, context: unknown, variables: ExecutionArgs['variableValues']) => ExecutionResult | Promise<ExecutionResult>;

/**
 * Each subscription document's compiled query function, compiled on first use and kept while the
 * document is (Yoga's parser cache hands every subscriber of one query string the same
 * DocumentNode). `null` remembers a document graphql-jit cannot compile; it stays on the standard executor.
 */
class CompiledEvents {
  private readonly byDocument = new WeakMap<DocumentNode, Map<string | null, EventExecutor | null>>();

  get(args: ExecutionArgs): EventExecutor | null {
    const operationName = args.operationName ?? null;
    let byOperation = this.byDocument.get(args.document);
    if (byOperation === undefined) {
      byOperation = new Map();
      this.byDocument.set(args.document, byOperation);
    }
    let executor = byOperation.get(operationName);
    if (executor === undefined) {
      const result = compileQuery(args.schema, args.document, operationName ?? undefined, {});
      executor = isCompiledQuery(result) ? (result.query as EventExecutor) : null;
      byOperation.set(operationName, executor);
    }
    return executor;
  }
}

/** `subscribe` with the source stream from graphql-js and each event executed compiled. */
async function subscribeCompiled(args: ExecutionArgs, compiled: CompiledEvents, standard: (args: ExecutionArgs) => unknown): Promise<unknown> {
  // No execution context (no such operation, variables that do not coerce): the standard
  // executor, which builds its context by the same rules, reports it with the codes it always has.
  const exeContext = buildExecutionContext(args);
  if (!('schema' in exeContext)) return standard(args);
  const execute = compiled.get(args);
  if (execute === null) return standard(args);

  const resultOrStream = await createSourceEventStream(args);
  if (!isAsyncIterable(resultOrStream)) return resultOrStream;
  const { contextValue, variableValues } = args;
  const operation = exeContext.operation;
  return mapAsyncIterator(
    resultOrStream,
    (payload) => execute(payload, contextValue, variableValues),
    (error: unknown) => {
      if (error instanceof AggregateError) {
        throw new AggregateError(
          error.errors.map((e: Error) => wrapError(e, operation)),
          error.message,
        );
      }
      throw wrapError(error as Error, operation);
    },
  );
}

/** A source stream's error as @graphql-tools/executor's `subscribe` presents it. */
function wrapError(error: Error, operation: OperationDefinitionNode): GraphQLError {
  return createGraphQLError(error.message, { originalError: error, nodes: [operation] });
}
