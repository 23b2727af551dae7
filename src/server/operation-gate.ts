/**
 * A gate in front of execution: an envelop plugin that asks `refusal` about each operation (query,
 * mutation or subscription, over HTTP or graphql-ws) once it is parsed, validated and has its
 * context, and answers with that error instead of running it. The cost limit, the text-input rules
 * and the password-reset gate are each one such check.
 */
import type { ExecutionArgs, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** Why an operation may not run, or undefined to let it run. */
export type OperationRefusal = (args: ExecutionArgs) => GraphQLError | undefined;

/** Runs `refusal` before every execution and subscription; a refused operation runs nothing. */
export function useOperationGate(refusal: OperationRefusal): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const error = refusal(args);
      if (error !== undefined) setResultAndStopExecution({ errors: [error] });
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const error = refusal(args);
      if (error !== undefined) setResultAndStopExecution({ errors: [error] });
    },
  };
}
