/**
 * AWS Organizations: the tree (root, OUs, accounts, and the SCPs and RCPs attached at each level)
 * beside a panel for the selected node (`?node=<id>`): create, rename and delete OUs, create,
 * move and close accounts, attach and detach policies, and an account's effective guardrails;
 * a second tab lists and edits the SCPs and RCPs. Only principals of the management account may
 * use Organizations: anyone else sees which account and permission it would take.
 */
import { useState } from 'react';
import type { ApiError } from '../api/graphql.ts';
import { pathTo, useOrganizationTree } from '../api/organization-tree.ts';
import type { OrganizationMembership, OrganizationTree } from '../api/organization-tree.ts';
import { useSession } from '../api/session.ts';
import { CloseAccountForm, MoveAccountForm } from '../components/organization/account-forms.tsx';
import { PolicyAttachments } from '../components/organization/attachments.tsx';
import { EffectiveGuardrails } from '../components/organization/effective-guardrails.tsx';
import { NodeTags } from '../components/organization/node-tags.tsx';
import { ACCOUNT_STATE_LABELS } from '../components/organization/labels.ts';
import { OrganizationPoliciesPanel } from '../components/organization/policies-panel.tsx';
import { OrganizationTreeView } from '../components/organization/tree-view.tsx';
import { CreateAccountForm, CreateUnitForm, DeleteUnitButton, RenameUnitForm } from '../components/organization/unit-forms.tsx';
import { ErrorNotice, Loading } from '../components/notice.tsx';
import { Tabs } from '../components/tabs.tsx';
import { navigate, useLocation } from '../router.ts';

/** The Organization page. */
export function OrganizationPage() {
  const state = useOrganizationTree();
  const { session } = useSession();
  const { pathname, search } = useLocation();
  // Bumped after every write, so the effective guardrails read again too.
  const [version, setVersion] = useState(0);
  const tree = state.tree;
  const selectedId = search.get('node') ?? tree?.root.id;

  const select = (id: string | undefined): void => {
    const params = new URLSearchParams(search);
    if (id === undefined || id === tree?.root.id) params.delete('node');
    else params.set('node', id);
    const query = params.toString();
    navigate(`${pathname}${query === '' ? '' : `?${query}`}`, { replace: true, keepScroll: true });
  };
  const changed = (selectId?: string): void => {
    if (selectId !== undefined) select(selectId);
    setVersion((n) => n + 1);
    state.reload();
  };

  return (
    <>
      <h1>Organization</h1>
      {state.loading && tree === undefined ? <Loading what="organization" /> : null}
      {tree === undefined && state.error !== undefined ? <Refusal error={state.error} membership={state.membership} callerAccountId={session?.accountId} /> : null}
      {tree === undefined ? null : (
        <>
          <p className="muted">
            Organization <code>{tree.organizationId}</code>, managed from account <code>{tree.managementAccountId}</code>.
            {tree.truncated ? ' Only the first 1000 accounts are shown.' : ''}
          </p>
          {tree !== undefined && state.error !== undefined ? <ErrorNotice error={state.error} title="Could not reload the organization" /> : null}
          <Tabs
            label="Organization"
            tabs={[
              {
                id: 'structure',
                label: 'Structure',
                render: () => (
                  <div className="org-layout">
                    <section className="panel" aria-labelledby="org-tree-title">
                      <h2 id="org-tree-title" style={{ marginTop: 0 }}>
                        Structure
                      </h2>
                      <OrganizationTreeView root={tree.root} selectedId={selectedId} onSelect={select} />
                    </section>
                    <SelectedNode tree={tree} id={selectedId ?? tree.root.id} version={version} onChanged={changed} />
                  </div>
                ),
              },
              { id: 'policies', label: 'Policies', render: () => <OrganizationPoliciesPanel onChanged={() => changed()} /> },
            ]}
          />
        </>
      )}
    </>
  );
}

/** The panel of the selected root, OU or account. */
function SelectedNode(props: { tree: OrganizationTree; id: string; version: number; onChanged: (selectId?: string) => void }) {
  const { tree } = props;
  const node = tree.byId.get(props.id);
  if (node === undefined) {
    return (
      <section className="panel" aria-label="Selected">
        <p className="empty">
          Nothing in the organization has the id <code>{props.id}</code> (any more). Choose a node in the tree.
        </p>
      </section>
    );
  }
  const nameOf = (id: string): string => tree.byId.get(id)?.name ?? id;
  const where = pathTo(tree, node.id)
    .slice(0, -1)
    .map(nameOf)
    .join(' / ');
  const title = node.kind === 'account' ? `Account ${node.name}` : node.kind === 'root' ? `Root ${node.name}` : `OU ${node.name}`;
  return (
    <section className="panel" aria-labelledby="org-selected-title" key={node.id}>
      <h2 id="org-selected-title" style={{ marginTop: 0 }}>
        {title}
      </h2>
      <dl className="facts">
        <dt>ID</dt>
        <dd className="mono">{node.id}</dd>
        <dt>ARN</dt>
        <dd className="mono">{node.arn}</dd>
        {where === '' ? null : (
          <>
            <dt>Under</dt>
            <dd>{where}</dd>
          </>
        )}
        {node.kind !== 'account' ? null : (
          <>
            <dt>Email</dt>
            <dd>{node.email ?? '—'}</dd>
            <dt>State</dt>
            <dd>{ACCOUNT_STATE_LABELS[node.state]}</dd>
          </>
        )}
      </dl>
      <PolicyAttachments key={`${node.id}-attach`} targetId={node.id} targetName={node.name} attached={node.policies} onChanged={() => props.onChanged()} />
      <NodeTags key={`${node.id}-tags`} resourceId={node.id} />
      {node.kind === 'account' ? (
        <>
          <EffectiveGuardrails accountId={node.id} nameOf={nameOf} version={props.version} />
          <MoveAccountForm key={`${node.id}-${node.parentId}`} tree={tree} account={node} onChanged={props.onChanged} />
          <CloseAccountForm account={node} onChanged={props.onChanged} />
        </>
      ) : (
        <>
          <CreateUnitForm node={node} onChanged={props.onChanged} />
          {node.kind === 'ou' ? (
            <>
              <RenameUnitForm key={`${node.id}-${node.name}`} node={node} onChanged={props.onChanged} />
              <DeleteUnitButton node={node} onChanged={props.onChanged} />
            </>
          ) : (
            <CreateAccountForm onChanged={props.onChanged} />
          )}
        </>
      )}
    </section>
  );
}

/**
 * Why the organization cannot be shown: only principals of the management account may use
 * Organizations (a member account may only describe its organization), and there each operation
 * needs its organizations:<Action> permission.
 */
function Refusal(props: { error: ApiError; membership: OrganizationMembership | null | undefined; callerAccountId: string | undefined }) {
  const { error, membership } = props;
  if (error.code === 'ACCESS_DENIED' && membership != null && membership.managementAccountId !== props.callerAccountId) {
    return (
      <div className="notice warn" role="alert">
        <strong>Managed from another account: </strong>
        your account <code>{props.callerAccountId}</code> is a member of organization <code>{membership.organizationId}</code>. Only principals of its
        management account <code>{membership.managementAccountId}</code> may view and change the organization: sign in there (or switch to a role in it)
        with the <code>organizations:*</code> permissions it needs{error.action === undefined ? '' : <>, starting with <code>{error.action}</code></>}.
      </div>
    );
  }
  if (error.code === 'NO_ORGANIZATION' || (error.code === 'ACCESS_DENIED' && membership === null)) {
    return (
      <div className="notice warn" role="alert">
        <strong>No organization: </strong>
        account <code>{props.callerAccountId}</code> belongs to no organization. Organizations are managed from their management account.
      </div>
    );
  }
  return <ErrorNotice error={error} title={error.code === 'ACCESS_DENIED' ? 'Not allowed to view the organization' : undefined} />;
}
