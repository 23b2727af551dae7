/**
 * An account's effective guardrails: the SCPs and RCPs attached at each level from the root down
 * to the account. Read from the API one level at a time, walking up from the account: each
 * request asks a level's SCPs and RCPs (ListPoliciesForTarget) and, below the root, its parent
 * (ListParents). A request is allowed only if every level's SCPs allow it, and likewise for RCPs.
 */
import { useEffect, useState } from 'react';
import { graphql } from '../../api/generated/gql.ts';
import { ApiError, errorAt, request } from '../../api/graphql.ts';
import type { Answer } from '../../api/graphql.ts';
import type { GuardrailLevelQuery } from '../../api/generated/graphql.ts';
import type { AttachedPolicy } from '../../api/organization-tree.ts';
import { toApiError } from '../../api/use-query.ts';
import { ErrorNotice, Loading } from '../notice.tsx';
import { byName } from './tree-view.tsx';

/** A level's SCPs and RCPs, and below the root its parent (the root has none to ask for). */
const LEVEL = graphql(`
  query GuardrailLevel($targetId: String!, $withParent: Boolean!) {
    scps: organizationPoliciesForTarget(targetId: $targetId, filter: SERVICE_CONTROL_POLICY, first: 5) {
      items {
        ...AttachedOrganizationPolicy
      }
    }
    rcps: organizationPoliciesForTarget(targetId: $targetId, filter: RESOURCE_CONTROL_POLICY, first: 5) {
      items {
        ...AttachedOrganizationPolicy
      }
    }
    organizationParents(childId: $targetId) @include(if: $withParent) {
      id
      type
    }
  }
`);

/** What a level is. */
type LevelType = 'ROOT' | 'ORGANIZATIONAL_UNIT' | 'ACCOUNT';

/** One level: the root, an OU or the account, and what is attached there. */
interface Level {
  readonly id: string;
  readonly type: LevelType;
  readonly scps: readonly AttachedPolicy[];
  readonly rcps: readonly AttachedPolicy[];
}

/** At most the root, five OUs and the account. */
const MAX_LEVELS = 7;

/** A level from its answer, or the refusal of either list. */
function levelOf(
  id: string,
  type: LevelType,
  data: { scps?: { items: readonly AttachedPolicy[] } | null; rcps?: { items: readonly AttachedPolicy[] } | null },
  errors: readonly ApiError[],
): Level {
  const scps = data.scps?.items;
  const rcps = data.rcps?.items;
  if (scps == null || rcps == null) throw errorAt(errors, 'scps') ?? errorAt(errors, 'rcps') ?? errors[0] ?? new ApiError('CLIENT', 'no policies');
  return { id, type, scps, rcps };
}

async function readLevels(accountId: string, signal: AbortSignal): Promise<Level[]> {
  const levels: Level[] = [];
  let next: { id: string; type: LevelType } | undefined = { id: accountId, type: 'ACCOUNT' };
  while (next !== undefined && levels.length < MAX_LEVELS) {
    const id: string = next.id;
    const type: LevelType = next.type;
    const answer: Answer<GuardrailLevelQuery> = await request(LEVEL, { targetId: id, withParent: type !== 'ROOT' }, { signal });
    levels.unshift(levelOf(id, type, answer.data, answer.errors));
    if (type === 'ROOT') break;
    const parent: { id: string; type: string } | undefined = answer.data.organizationParents?.[0];
    if (parent == null) throw errorAt(answer.errors, 'organizationParents') ?? new ApiError('CLIENT', `no parent of ${id}`);
    next = { id: parent.id, type: parent.type === 'ROOT' ? 'ROOT' : 'ORGANIZATIONAL_UNIT' };
  }
  return levels;
}

const LEVEL_NOUN: Readonly<Record<LevelType, string>> = { ROOT: 'Root', ORGANIZATIONAL_UNIT: 'OU', ACCOUNT: 'Account' };

/** The levels as two lists, SCPs and RCPs; `nameOf` names a level's id; `version` reloads. */
export function EffectiveGuardrails(props: { accountId: string; nameOf: (id: string) => string; version: number }) {
  const [state, setState] = useState<{ levels?: Level[]; error?: ApiError }>({});
  useEffect(() => {
    const controller = new AbortController();
    setState({});
    readLevels(props.accountId, controller.signal).then(
      (levels) => setState({ levels }),
      (error: unknown) => {
        if (!controller.signal.aborted) setState({ error: toApiError(error) });
      },
    );
    return () => controller.abort();
  }, [props.accountId, props.version]);

  return (
    <section aria-labelledby="guardrails-title">
      <h3 id="guardrails-title">Effective guardrails</h3>
      <p className="muted">A request from or to this account must be allowed by an SCP (for its principals) or an RCP (for its resources) at every level.</p>
      <ErrorNotice error={state.error} title="Could not read the guardrails" />
      {state.levels === undefined && state.error === undefined ? <Loading what="guardrails" /> : null}
      {state.levels === undefined
        ? null
        : (['scps', 'rcps'] as const).map((kind) => (
            <div key={kind}>
              <h4>{kind === 'scps' ? 'Service control policies' : 'Resource control policies'}</h4>
              <ol className="org-levels" aria-label={kind === 'scps' ? 'SCP levels' : 'RCP levels'}>
                {state.levels!.map((level) => (
                  <li key={level.id}>
                    {LEVEL_NOUN[level.type]} <strong>{props.nameOf(level.id)}</strong>:{' '}
                    {level[kind].length === 0 ? <span className="badge denied">nothing attached: everything denied</span> : byName(level[kind]).map((p) => p.name).join(', ')}
                  </li>
                ))}
              </ol>
            </div>
          ))}
    </section>
  );
}
