/**
 * A principal's "What can" tab: the catalog actions it would be allowed on one resource
 * (`whatCanActions`), and the registered resources of a type or ARN prefix on which it would be
 * allowed one action (`whatCanResources`), each answer with its deciding statements. Both agree
 * with `authorize` question by question.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { ActionField } from './action-field.tsx';
import { ConnectionTable, edgesAsRows } from './connection-table.tsx';
import { StatementLabel } from './decision-view.tsx';
import type { MatchedStatement } from '../api/decisions.ts';
import { TextField } from './field.tsx';
import { Link } from './link.tsx';
import { resourcePath } from './resource-arn.ts';
import { StatementSource } from './statement-source.tsx';

const WHAT_CAN_ACTIONS = graphql(`
  query WhatCanActions($input: WhatCanActionsInput!, $first: Int, $after: String) {
    whatCanActions(input: $input, first: $first, after: $after) {
      edges {
        cursor
        node
        decision {
          matchedStatements {
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

const WHAT_CAN_RESOURCES = graphql(`
  query WhatCanResources($input: WhatCanResourcesInput!, $first: Int, $after: String) {
    whatCanResources(input: $input, first: $first, after: $after) {
      edges {
        cursor
        resourceArn
        decision {
          matchedStatements {
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

/** The deciding statements of one answer row. */
function Statements(props: { statements: readonly MatchedStatement[] }) {
  return props.statements.map((s, i) => (
    <div key={`${s.sourcePolicyId}-${s.statementIndex}-${i}`} className="statement deciding">
      <StatementLabel statement={s} />
      <StatementSource statement={s} />
    </div>
  ));
}

/** The tab's content for the principal `principalArn`. */
export function WhatCan(props: { principalArn: string }) {
  return (
    <>
      <WhatCanActions principalArn={props.principalArn} />
      <WhatCanResources principalArn={props.principalArn} />
    </>
  );
}

/** "Which actions on this resource?" */
function WhatCanActions(props: { principalArn: string }) {
  const [resourceArn, setResourceArn] = useState('');
  const [asked, setAsked] = useState<{ resourceArn: string; generation: number } | undefined>(undefined);
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const arn = resourceArn.trim();
    if (!arn.startsWith('arn:')) {
      setFormError('enter a resource ARN, e.g. arn:aws:s3:::reports/q1.csv');
      return;
    }
    setFormError(undefined);
    setAsked({ resourceArn: arn, generation: (asked?.generation ?? 0) + 1 });
  };
  return (
    <section className="panel" aria-labelledby="what-can-actions">
      <h2 id="what-can-actions" style={{ marginTop: 0 }}>
        Actions allowed on a resource
      </h2>
      <form onSubmit={submit} className="row" aria-label="Actions allowed on a resource" noValidate>
        <div style={{ flex: '1 1 320px' }}>
          <TextField label="Resource ARN" value={resourceArn} onChange={setResourceArn} error={formError} placeholder="arn:aws:s3:::reports/q1.csv" spellCheck={false} />
        </div>
        <div className="field">
          <button type="submit" className="primary">
            List actions
          </button>
        </div>
      </form>
      {asked === undefined ? null : (
        <ConnectionTable
          key={`${asked.resourceArn}-${asked.generation}`}
          query={WHAT_CAN_ACTIONS}
          variables={(page) => ({ ...page, input: { principalArn: props.principalArn, resourceArn: asked.resourceArn } })}
          // Each edge is the row: the action (its node) and the decision.
          select={(data) => edgesAsRows(data.whatCanActions)}
          path={['whatCanActions']}
          rowKey={(row) => row.node}
          caption={`Actions allowed on ${asked.resourceArn}`}
          empty="No action of the resource's service is allowed on it."
          columns={[
            { header: 'Action', cell: (row) => <code>{row.node}</code> },
            { header: 'Deciding statement', cell: (row) => <Statements statements={row.decision.matchedStatements} /> },
          ]}
        />
      )}
    </section>
  );
}

/** "Which resources, for this action?" */
function WhatCanResources(props: { principalArn: string }) {
  const [action, setAction] = useState('');
  const [resourceType, setResourceType] = useState('');
  const [arnPrefix, setArnPrefix] = useState('');
  const [asked, setAsked] = useState<{ action: string; resourceType: string; arnPrefix: string; generation: number } | undefined>(undefined);
  const [formError, setFormError] = useState<string | undefined>(undefined);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = action.trim();
    if (!/^[^:\s]+:[^:\s]+$/.test(trimmed)) {
      setFormError('enter one action as service:Action, e.g. s3:GetObject');
      return;
    }
    setFormError(undefined);
    setAsked({ action: trimmed, resourceType: resourceType.trim(), arnPrefix: arnPrefix.trim(), generation: (asked?.generation ?? 0) + 1 });
  };
  return (
    <section className="panel" aria-labelledby="what-can-resources">
      <h2 id="what-can-resources" style={{ marginTop: 0 }}>
        Resources allowed for an action
      </h2>
      <form onSubmit={submit} aria-label="Resources allowed for an action" noValidate>
        <div className="row">
          <div style={{ flex: '1 1 240px' }}>
            <ActionField label="Action" value={action} onChange={setAction} error={formError} />
          </div>
          <div style={{ flex: '1 1 160px' }}>
            <TextField label="Resource type" hint="(optional)" value={resourceType} onChange={setResourceType} placeholder="object" spellCheck={false} />
          </div>
          <div style={{ flex: '1 1 240px' }}>
            <TextField label="ARN prefix" hint="(optional)" value={arnPrefix} onChange={setArnPrefix} placeholder="arn:aws:s3:::reports/" spellCheck={false} />
          </div>
          <div className="field">
            <button type="submit" className="primary">
              List resources
            </button>
          </div>
        </div>
      </form>
      {asked === undefined ? null : (
        <ConnectionTable
          key={JSON.stringify(asked)}
          query={WHAT_CAN_RESOURCES}
          variables={(page) => ({
            ...page,
            input: {
              principalArn: props.principalArn,
              action: asked.action,
              ...(asked.resourceType === '' ? {} : { resourceType: asked.resourceType }),
              ...(asked.arnPrefix === '' ? {} : { arnPrefix: asked.arnPrefix }),
            },
          })}
          // Each edge is the row: the resource ARN and the decision (its node is the resource itself).
          select={(data) => edgesAsRows(data.whatCanResources)}
          path={['whatCanResources']}
          rowKey={(row) => row.resourceArn}
          caption={`Resources allowed ${asked.action}`}
          empty={`No registered resource${asked.resourceType === '' && asked.arnPrefix === '' ? '' : ' of that type or prefix'} is allowed ${asked.action}.`}
          columns={[
            {
              header: 'Resource',
              cell: (row) => (
                <Link to={resourcePath(row.resourceArn)}>
                  <span className="mono">{row.resourceArn}</span>
                </Link>
              ),
            },
            { header: 'Deciding statement', cell: (row) => <Statements statements={row.decision.matchedStatements} />, wide: true },
          ]}
        />
      )}
    </section>
  );
}
