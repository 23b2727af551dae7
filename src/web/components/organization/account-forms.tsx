/**
 * What can be done to an account: move it to another parent (a picker of the root and every OU,
 * indented by depth) and close it, after a confirmation that names the account. The management
 * account cannot be closed: the server's ConstraintViolation is shown as it answers.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../../api/generated/gql.ts';
import type { AccountNode, OrganizationTree, ParentNode } from '../../api/organization-tree.ts';
import { useResultMutation } from '../../api/use-result-mutation.ts';
import { ErrorNotice } from '../notice.tsx';
import { ResultErrorNotice } from '../result-error.tsx';

const MOVE_ACCOUNT = graphql(`
  mutation MoveOrganizationAccount($input: MoveAccountInput!) {
    moveAccount(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

const CLOSE_ACCOUNT = graphql(`
  mutation CloseOrganizationAccount($input: CloseAccountInput!) {
    closeAccount(input: $input) {
      __typename
      ...ResultErrorFields
    }
  }
`);

/** The root and every OU, depth first, with their depth. */
function parents(root: ParentNode): Array<{ node: ParentNode; depth: number }> {
  const out: Array<{ node: ParentNode; depth: number }> = [];
  const walk = (node: ParentNode, depth: number): void => {
    out.push({ node, depth });
    for (const unit of node.units) walk(unit, depth + 1);
  };
  walk(root, 0);
  return out;
}

/** Move the account to another root or OU. */
export function MoveAccountForm(props: { tree: OrganizationTree; account: AccountNode; onChanged: (selectId?: string) => void }) {
  const choices = parents(props.tree.root).filter(({ node }) => node.id !== props.account.parentId);
  const [destination, setDestination] = useState(choices[0]?.node.id ?? '');
  const move = useResultMutation(MOVE_ACCOUNT, 'moveAccount', ['destinationParentId']);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const input = { accountId: props.account.id, sourceParentId: props.account.parentId, destinationParentId: destination };
    if ((await move.submit({ input })) !== undefined) props.onChanged(props.account.id);
  };
  const current = props.tree.byId.get(props.account.parentId);
  return (
    <form onSubmit={submit} aria-label={`Move account ${props.account.name}`}>
      <h3>Move</h3>
      <p>
        Now under <strong>{current?.name ?? props.account.parentId}</strong>.
      </p>
      <div className="field">
        <label htmlFor="move-destination">Move to</label>
        <select id="move-destination" value={destination} onChange={(event) => setDestination(event.target.value)}>
          {choices.map(({ node, depth }) => (
            <option key={node.id} value={node.id}>
              {'\u00a0\u00a0'.repeat(depth)}
              {node.kind === 'root' ? 'Root' : 'OU'} {node.name} ({node.id})
            </option>
          ))}
        </select>
        {move.errors.fields.destinationParentId === undefined ? null : (
          <div className="field-error" role="alert">
            {move.errors.fields.destinationParentId}
          </div>
        )}
      </div>
      <ResultErrorNotice error={move.errors.general} />
      <ErrorNotice error={move.failure} />
      <button type="submit" disabled={move.busy || destination === ''}>
        Move account
      </button>
    </form>
  );
}

/** Close the account, once confirmed. */
export function CloseAccountForm(props: { account: AccountNode; onChanged: (selectId?: string) => void }) {
  const [confirming, setConfirming] = useState(false);
  const close = useResultMutation(CLOSE_ACCOUNT, 'closeAccount', []);
  const { account } = props;
  const run = async () => {
    const success = await close.submit({ input: { accountId: account.id } });
    setConfirming(false);
    if (success !== undefined) props.onChanged(account.id);
  };
  if (account.state !== 'ACTIVE') return null;
  return (
    <div>
      <h3>Close</h3>
      {!confirming ? (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Close account…
        </button>
      ) : (
        <div role="group" aria-label="Confirm closing">
          <p>
            Close account <strong>{account.name}</strong> (<code>{account.id}</code>)? Its users, roles and keys stop working at once.
          </p>
          <div className="row">
            <button type="button" className="danger" disabled={close.busy} onClick={() => void run()}>
              Close {account.name}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </div>
      )}
      <ResultErrorNotice error={close.errors.general} />
      <ErrorNotice error={close.failure} />
    </div>
  );
}
