/**
 * Names from the service catalog for the policy editor's completion: service prefixes
 * (`services(prefix:)`), a service's actions (`service.actions(prefix:)`) and its condition keys
 * (`service.conditionKeys`).
 *
 * Requests are bounded: each asks for at most COMPLETION_LIMIT names, answers are kept (a small
 * LRU), and once an answer for a shorter prefix was complete, longer prefixes are filtered from it
 * without asking again. Typing `s3:Get`, `s3:GetO`, `s3:GetOb` costs one request, not three.
 */
import { graphql } from './generated/gql.ts';
import { request } from './graphql.ts';
import { ACCESS_LEVEL_LABELS } from '../components/labels.ts';

/** At most this many names per answer (the list shows them all). */
export const COMPLETION_LIMIT = 20;
/** At most this many answers are remembered. */
const CACHE_SIZE = 64;

const SERVICE_PREFIXES = graphql(`
  query CompletionServices($prefix: String!, $first: Int!) {
    services(prefix: $prefix, first: $first) {
      edges {
        node {
          serviceName
          displayName
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

const SERVICE_ACTIONS = graphql(`
  query CompletionActions($serviceName: String!, $prefix: String!, $first: Int!) {
    service(serviceName: $serviceName) {
      serviceName
      actions(prefix: $prefix, first: $first) {
        edges {
          node {
            name
            accessLevel
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

const SERVICE_CONDITION_KEYS = graphql(`
  query CompletionConditionKeys($serviceName: String!) {
    service(serviceName: $serviceName) {
      serviceName
      conditionKeys {
        name
        type
      }
    }
  }
`);

/** One name offered for completion. */
export interface Completion {
  /** The text that replaces the string being typed, e.g. `s3:GetObject` or `s3:`. */
  readonly text: string;
  /** A short description: the service's name, the action's access level, the key's type. */
  readonly detail: string;
  /** A service prefix: choosing it keeps completing (actions or keys of that service). */
  readonly continues: boolean;
}

/** What to complete: service prefixes, or a service's actions or condition keys. */
export type CompletionQuery =
  | { readonly kind: 'service'; readonly prefix: string }
  | { readonly kind: 'action' | 'conditionKey'; readonly serviceName: string; readonly prefix: string };

/** An answer and whether it holds every name with its prefix (then longer prefixes filter it). */
interface Answer {
  readonly completions: readonly Completion[];
  readonly complete: boolean;
}

const cache = new Map<string, Answer>();

/** Cache key of an answer, without the prefix (lower-cased, as the catalog matches names). */
function scopeOf(query: CompletionQuery): string {
  return query.kind === 'service' ? 'service' : `${query.kind}:${query.serviceName.toLowerCase()}`;
}

/** Names for `query`, from the cache when an earlier complete answer covers it. */
export async function fetchCompletions(query: CompletionQuery, signal: AbortSignal): Promise<readonly Completion[]> {
  const scope = scopeOf(query);
  const prefix = query.prefix.toLowerCase();
  for (let n = prefix.length; n >= 0; n--) {
    const key = `${scope}|${prefix.slice(0, n)}`;
    const hit = cache.get(key);
    if (hit !== undefined && (n === prefix.length || hit.complete)) {
      remember(key, hit);
      return filterByPrefix(hit.completions, query, prefix);
    }
  }
  const answer = await load(query, signal);
  // Condition keys are loaded whole: that answer covers every prefix of the service.
  remember(`${scope}|${query.kind === 'conditionKey' ? '' : prefix}`, answer);
  return filterByPrefix(answer.completions, query, prefix);
}

/** Keeps `answer` as the most recently used, forgetting the least recently used beyond CACHE_SIZE. */
function remember(key: string, answer: Answer): void {
  cache.delete(key);
  cache.set(key, answer);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
}

/** The completions of a covering answer whose name part starts with `prefix`. */
function filterByPrefix(completions: readonly Completion[], query: CompletionQuery, prefix: string): readonly Completion[] {
  const skip = query.kind === 'service' ? 0 : query.serviceName.length + 1;
  return completions.filter((c) => c.text.slice(skip).toLowerCase().startsWith(prefix)).slice(0, COMPLETION_LIMIT);
}

/** Asks the API. A refused or unknown service answers no names (the editor still works). */
async function load(query: CompletionQuery, signal: AbortSignal): Promise<Answer> {
  switch (query.kind) {
    case 'service': {
      const { data } = await request(SERVICE_PREFIXES, { prefix: query.prefix, first: COMPLETION_LIMIT }, { signal });
      const services = data.services;
      if (services == null) return { completions: [], complete: false };
      return {
        completions: services.edges.map(({ node }) => ({ text: `${node.serviceName}:`, detail: node.displayName, continues: true })),
        complete: !services.pageInfo.hasNextPage,
      };
    }
    case 'action': {
      const { data } = await request(SERVICE_ACTIONS, { serviceName: query.serviceName, prefix: query.prefix, first: COMPLETION_LIMIT }, { signal });
      const service = data.service;
      if (service?.actions == null) return { completions: [], complete: service === null };
      return {
        completions: service.actions.edges.map(({ node }) => ({ text: `${service.serviceName}:${node.name}`, detail: ACCESS_LEVEL_LABELS[node.accessLevel], continues: false })),
        complete: !service.actions.pageInfo.hasNextPage,
      };
    }
    case 'conditionKey': {
      // A service has tens of condition keys, not thousands: one list, filtered here.
      const { data } = await request(SERVICE_CONDITION_KEYS, { serviceName: query.serviceName }, { signal });
      const service = data.service;
      if (service?.conditionKeys == null) return { completions: [], complete: service === null };
      return {
        completions: service.conditionKeys.map((key) => ({
          text: key.name.includes(':') ? key.name : `${service.serviceName}:${key.name}`,
          detail: key.type,
          continues: false,
        })),
        complete: true,
      };
    }
  }
}
