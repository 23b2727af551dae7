/**
 * "Who can": for a chosen action on this resource, every user and role of the account that would
 * be allowed, each linking to its page, naming the group(s) through which a user's grant comes
 * and the deciding statement(s) (openable in their policy text). Answered by `whoCan`, which
 * agrees with `authorize` question by question and uses the resource's stored policy and tags.
 */
import { useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { WhoCanQuery } from '../api/generated/graphql.ts';
import { useSession } from '../api/session.ts';
import { ActionField } from './action-field.tsx';
import { ConnectionTable, edgesAsRows } from './connection-table.tsx';
import { StatementLabel } from './decision-view.tsx';
import { PrincipalLink } from './principal-link.tsx';
import { StatementSource } from './statement-source.tsx';

const WHO_CAN = graphql(`
  query WhoCan($input: WhoCanInput!, $first: Int, $after: String) {
    whoCan(input: $input, first: $first, after: $after) {
      totalCount
      edges {
        cursor
        principalArn
        principalType
        groupArns
        statements {
          direct
          statement {
            ...StatementFields
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** One principal of a who-can answer (an edge: the answer is about the principal, not its entity). */
type WhoCanEntry = NonNullable<WhoCanQuery['whoCan']>['edges'][number];

/**
 * Where a principal's grant comes from: the groups named by its deciding statements (linked),
 * its own policies, the resource's policy, or being the account's root user.
 */
function GrantSources(props: { entry: WhoCanEntry; accountId: string | undefined }) {
  const parts: ReactNode[] = props.entry.groupArns.map((arn) => <PrincipalLink key={arn} arn={arn} accountId={props.accountId} />);
  if (props.entry.statements.some((s) => s.direct)) parts.push('its own policies');
  if (props.entry.statements.some((s) => s.statement.sourcePolicyType === 'RESOURCE')) parts.push('the resource policy');
  if (props.entry.principalType === 'ROOT') parts.push('being the root user (everything in its account)');
  return (
    <div className="muted" style={{ fontSize: 13 }}>
      through{' '}
      {parts.map((part, i) => (
        <span key={i} className="grant-source">
          {i === 0 ? '' : i === parts.length - 1 ? ' and ' : ', '}
          {part}
        </span>
      ))}
    </div>
  );
}

/**
 * The who-can panel of a resource page. A new `minRevision` (the page wrote the resource's tags
 * or policy) asks the shown question again, answered from state at least that fresh.
 */
export function WhoCan(props: { resourceArn: string; serviceName: string; minRevision?: string | undefined }) {
  const { session } = useSession();
  const [action, setAction] = useState('');
  const [asked, setAsked] = useState<{ action: string; generation: number } | undefined>(undefined);
  const [formError, setFormError] = useState<string | undefined>(undefined);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = action.trim();
    if (!/^[^:\s]+:[^:\s]+$/.test(trimmed)) {
      setFormError(`enter one action as service:Action, e.g. ${props.serviceName}:Get*`);
      return;
    }
    setFormError(undefined);
    setAsked({ action: trimmed, generation: (asked?.generation ?? 0) + 1 });
  };

  return (
    <section className="panel" aria-labelledby="who-can">
      <h2 id="who-can" style={{ marginTop: 0 }}>
        Who can
      </h2>
      <form onSubmit={submit} className="row" aria-label="Who can" noValidate>
        <div style={{ flex: '1 1 280px' }}>
          <ActionField label="Action" hint="(completes from the catalog)" value={action} onChange={setAction} error={formError} serviceName={props.serviceName} />
        </div>
        <div className="field">
          <button type="submit" className="primary">
            Ask
          </button>
        </div>
      </form>
      {asked === undefined ? (
        <p className="muted">Choose an action to list the users and roles of the account that are allowed it on this resource.</p>
      ) : (
        <ConnectionTable
          key={`${asked.action}-${asked.generation}`}
          query={WHO_CAN}
          variables={(page) => ({
            ...page,
            input: { action: asked.action, resourceArn: props.resourceArn, ...(props.minRevision === undefined ? {} : { minRevision: props.minRevision }) },
          })}
          // Each edge is the row (its node is the principal's entity, null for the root user).
          select={(data) => edgesAsRows(data.whoCan)}
          path={['whoCan']}
          rowKey={(entry) => entry.principalArn}
          caption={`Allowed ${asked.action}`}
          empty={`No user or role of this account is allowed ${asked.action} on this resource.`}
          columns={[
            {
              header: 'Principal',
              cell: (entry) => (
                <>
                  <PrincipalLink arn={entry.principalArn} accountId={session?.accountId} />
                  <GrantSources entry={entry} accountId={session?.accountId} />
                </>
              ),
            },
            {
              header: 'Deciding statement',
              cell: (entry) =>
                entry.principalType === 'ROOT' && entry.statements.length === 0 ? (
                  <span className="muted">None needed: the root user is allowed unless a policy denies it.</span>
                ) : (
                  entry.statements.map((d, i) => (
                    <div key={`${d.statement.sourcePolicyId}-${d.statement.statementIndex}-${i}`} className="statement deciding">
                      <StatementLabel statement={d.statement} />
                      <StatementSource statement={d.statement} />
                    </div>
                  ))
                ),
            },
          ]}
        />
      )}
    </section>
  );
}
