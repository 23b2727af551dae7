/**
 * The abuse limits as Yoga/envelop plugins, in the order a request meets them: body size (HTTP
 * only; WebSocket messages are capped by ws's maxPayload), token count while parsing, depth,
 * aliases and introspection while validating, field cost just before execution. Parse, validate
 * and execute run through the same envelop for HTTP and graphql-ws, so both transports share them.
 * Introspection and field suggestions are for authenticated callers of a server that allows them
 * (GRAPHQL_INTROSPECTION); `callers` knows, before validation, who the request's caller is.
 */
import { Kind, getOperationAST } from 'graphql';
import type { DocumentNode, ExecutionArgs, FragmentDefinitionNode, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Config } from '../../config.ts';
import { useBodySizeLimit } from './body-size.ts';
import { operationCost } from './cost.ts';
import { aliasLimitRule, anonymousIntrospectionRule, depthLimitRule, noIntrospectionRule, singleIntrospectionRule } from './document-rules.ts';
import { LIMIT_CODES, limitError } from './errors.ts';
import { resultWithoutSuggestions, withoutSuggestions } from './suggestions.ts';
import type { RequestCallers } from '../request-caller.ts';
import { useOperationGate } from '../operation-gate.ts';

/** The limits that `abuseLimitPlugins` reads from the configuration. */
export type LimitsConfig = Pick<Config, 'maxBodyBytes' | 'maxQueryDepth' | 'maxQueryAliases' | 'maxQueryCost' | 'maxQueryTokens' | 'introspection'>;

/** Every abuse-limit plugin for Yoga's `plugins` option. */
export function abuseLimitPlugins(config: LimitsConfig, callers: RequestCallers): Plugin[] {
  return [
    useBodySizeLimit(config.maxBodyBytes),
    useTokenLimit(config.maxQueryTokens),
    useDocumentRules(config, callers),
    useCostLimit(config.maxQueryCost),
  ];
}

/** Parses with graphql-js's `maxTokens`, renaming its syntax error to TOO_MANY_TOKENS. */
export function useTokenLimit(maxTokens: number): Plugin {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, { ...options, maxTokens });
        } catch (error) {
          // graphql-js 16: "Syntax Error: Document contains more that N tokens. Parsing aborted." (sic)
          if (error instanceof Error && error.message.includes(` ${maxTokens} tokens. Parsing aborted`)) {
            throw limitError(LIMIT_CODES.tokens, `token count exceeds the limit of ${maxTokens}`, { limit: maxTokens });
          }
          throw error;
        }
      });
    },
  };
}

/**
 * Adds the depth, alias and introspection validation rules. A request may introspect, and sees
 * "Did you mean …" suggestions, only when the server allows introspection and the caller is
 * authenticated; otherwise `__schema`/`__type` are refused and suggestions cut from every error.
 */
export function useDocumentRules(config: Pick<LimitsConfig, 'maxQueryDepth' | 'maxQueryAliases' | 'introspection'>, callers: RequestCallers): Plugin {
  const exposed = (context: unknown): boolean => config.introspection && callers.isAuthenticated((context as { request?: Request } | undefined)?.request);
  return {
    onValidate({ context, addValidationRule }) {
      addValidationRule(depthLimitRule(config.maxQueryDepth));
      addValidationRule(aliasLimitRule(config.maxQueryAliases));
      addValidationRule(singleIntrospectionRule);
      if (exposed(context)) return undefined;
      const authenticated = callers.isAuthenticated((context as { request?: Request }).request);
      addValidationRule(authenticated ? noIntrospectionRule : anonymousIntrospectionRule);
      return ({ result, setResult }) => setResult(result.map(withoutSuggestions));
    },
    // Variable coercion ("Did you mean the enum value …") happens at execution.
    onExecute({ args }) {
      if (exposed(args.contextValue)) return undefined;
      return { onExecuteDone: ({ result, setResult }) => setResult(resultWithoutSuggestions(result)) };
    },
    onSubscribe({ args }) {
      if (exposed(args.contextValue)) return undefined;
      return { onSubscribeResult: ({ result, setResult }) => setResult(resultWithoutSuggestions(result)) };
    },
  };
}

/** Refuses, before execution, operations whose estimated cost exceeds `maxCost` (QUERY_TOO_COSTLY). */
export function useCostLimit(maxCost: number): Plugin {
  const check = (args: ExecutionArgs): GraphQLError | undefined => {
    const operation = getOperationAST(args.document, args.operationName);
    if (operation == null) return undefined;
    const cost = operationCost(operation, {
      schema: args.schema,
      fragments: fragmentsOf(args.document),
      variables: (args.variableValues ?? {}) as Record<string, unknown>,
    });
    if (cost <= maxCost) return undefined;
    return limitError(LIMIT_CODES.cost, `query cost ${cost} exceeds the limit of ${maxCost}`, { limit: maxCost, extensions: { cost } });
  };
  return useOperationGate(check);
}

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const map = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) map.set(definition.name.value, definition);
  }
  return map;
}
