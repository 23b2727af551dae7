/**
 * The organization's tree: the root, OUs nested, and accounts (id, name, email, state), each with
 * the SCPs and RCPs attached to it. Nested lists of buttons: choosing a node selects it for the
 * panel beside the tree (`aria-pressed` tells which one is selected).
 */
import type { AccountNode, AttachedPolicy, ParentNode } from '../../api/organization-tree.ts';
import { ACCOUNT_STATE_LABELS } from './labels.ts';

/** Props of OrganizationTreeView. */
export interface TreeViewProps {
  readonly root: ParentNode;
  readonly selectedId: string | undefined;
  readonly onSelect: (id: string) => void;
}

/** The tree. */
export function OrganizationTreeView(props: TreeViewProps) {
  return (
    <ul className="org-tree" aria-label="Organization structure">
      <ParentItem node={props.root} {...props} />
    </ul>
  );
}

function ParentItem(props: TreeViewProps & { node: ParentNode }) {
  const { node } = props;
  const empty = node.units.length === 0 && node.accounts.length === 0;
  return (
    <li>
      <div className="org-node">
        <button type="button" className="link-button" aria-pressed={props.selectedId === node.id} onClick={() => props.onSelect(node.id)}>
          {node.kind === 'root' ? 'Root' : 'OU'} {node.name}
        </button>{' '}
        <code className="muted">{node.id}</code>
        <AttachedBadges policies={node.policies} />
      </div>
      {empty ? null : (
        <ul>
          {node.units.map((unit) => (
            <ParentItem key={unit.id} {...props} node={unit} />
          ))}
          {node.accounts.map((account) => (
            <AccountItem key={account.id} {...props} account={account} />
          ))}
        </ul>
      )}
    </li>
  );
}

function AccountItem(props: TreeViewProps & { account: AccountNode }) {
  const { account } = props;
  return (
    <li>
      <div className="org-node">
        <button type="button" className="link-button" aria-pressed={props.selectedId === account.id} onClick={() => props.onSelect(account.id)}>
          Account {account.name}
        </button>{' '}
        <code>{account.id}</code> <span className="muted">{account.email ?? ''}</span>{' '}
        <span className={`badge ${account.state === 'ACTIVE' ? 'allowed' : 'denied'}`}>{ACCOUNT_STATE_LABELS[account.state]}</span>{' '}
        {account.isManagementAccount ? <span className="badge neutral">management</span> : null}
        <AttachedBadges policies={account.policies} />
      </div>
    </li>
  );
}

/** The policies attached at a node, SCPs then RCPs (or that the caller may not list them). */
export function AttachedBadges(props: { policies: readonly AttachedPolicy[] | null }) {
  if (props.policies === null) return <div className="org-policies muted">Policies: not permitted to list</div>;
  if (props.policies.length === 0) return null;
  const scps = byName(props.policies.filter((p) => p.type === 'SERVICE_CONTROL_POLICY'));
  const rcps = byName(props.policies.filter((p) => p.type === 'RESOURCE_CONTROL_POLICY'));
  return (
    <div className="org-policies">
      {scps.length === 0 ? null : (
        <span>
          SCPs: {scps.map((p) => p.name).join(', ')}
        </span>
      )}
      {rcps.length === 0 ? null : (
        <span>
          RCPs: {rcps.map((p) => p.name).join(', ')}
        </span>
      )}
    </div>
  );
}

/** Policies in name order (the API lists them by id, which is random for customer policies). */
export function byName(policies: readonly AttachedPolicy[]): AttachedPolicy[] {
  return [...policies].sort((a, b) => a.name.localeCompare(b.name));
}
