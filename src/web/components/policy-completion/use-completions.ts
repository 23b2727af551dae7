/**
 * Completions from the catalog for what is being typed, asked 150 ms after the last keystroke; a
 * newer question cancels the request of an older one, so answers never arrive out of order.
 */
import { useEffect, useState } from 'react';
import { fetchCompletions } from '../../api/catalog-completions.ts';
import type { Completion, CompletionQuery } from '../../api/catalog-completions.ts';
import { splitServiceName } from './slot.ts';
import type { CompletionSlot } from './slot.ts';

/** Wait after the last keystroke before asking. */
const DEBOUNCE_MS = 150;

/** The catalog question a slot asks: service prefixes until a `:` is typed, then names of that service. */
export function queryForSlot(slot: CompletionSlot): CompletionQuery {
  const { service, rest } = splitServiceName(slot.typed);
  if (rest === undefined) return { kind: 'service', prefix: service };
  return { kind: slot.kind, serviceName: service, prefix: rest };
}

/** Completions for `query` (none while it is undefined) and the question they answer (a key). */
export function useCompletions(query: CompletionQuery | undefined): { completions: readonly Completion[]; answered: string | undefined } {
  const [state, setState] = useState<{ completions: readonly Completion[]; answered: string | undefined }>({ completions: [], answered: undefined });
  const key = query === undefined ? undefined : JSON.stringify(query);
  useEffect(() => {
    if (key === undefined) {
      setState({ completions: [], answered: undefined });
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      fetchCompletions(JSON.parse(key) as CompletionQuery, controller.signal).then(
        (completions) => {
          if (!controller.signal.aborted) setState({ completions, answered: key });
        },
        // No completions is the editor's answer to any failure: typing goes on unhindered.
        () => {
          if (!controller.signal.aborted) setState({ completions: [], answered: key });
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [key]);
  return state.answered === key ? state : { completions: [], answered: undefined };
}
