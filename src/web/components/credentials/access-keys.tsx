/**
 * A user's access keys (at most two, AWS's quota): each with its status and last use
 * (GetAccessKeyLastUsed), activate or deactivate (UpdateAccessKey), and delete once inactive
 * (DeleteAccessKey), as the AWS console asks. A new key's secret is shown once, with copy and
 * a .csv download in AWS's format, and forgotten when the user is done.
 */
import { useState } from 'react';
import { graphql } from '../../api/generated/gql.ts';
import type { AccessKeysQuery } from '../../api/generated/graphql.ts';
import { errorAt } from '../../api/graphql.ts';
import { useQuery } from '../../api/use-query.ts';
import { useResultMutation } from '../../api/use-result-mutation.ts';
import { ErrorNotice, Loading, Success } from '../notice.tsx';
import { ResultErrorNotice } from '../result-error.tsx';
import { NewSecret } from './new-secret.tsx';

const ACCESS_KEYS = graphql(`
  query AccessKeys($userName: String) {
    accessKeys(userName: $userName) {
      accessKeyId
      status
      createDate
    }
  }
`);

const LAST_USED = graphql(`
  query AccessKeyLastUsed($accessKeyId: String!) {
    accessKeyLastUsed(accessKeyId: $accessKeyId) {
      lastUsedDate
      serviceName
      actionName
    }
  }
`);

const CREATE_ACCESS_KEY = graphql(`
  mutation CreateAccessKey($input: CreateAccessKeyInput!) {
    createAccessKey(input: $input) {
      __typename
      ... on CreateAccessKeySuccess {
        revision
        secretAccessKey
        accessKey {
          accessKeyId
          userName
        }
      }
      ...ResultErrorFields
    }
  }
`);

const UPDATE_ACCESS_KEY = graphql(`
  mutation UpdateAccessKey($input: UpdateAccessKeyInput!) {
    updateAccessKey(input: $input) {
      __typename
      ... on UpdateAccessKeySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DELETE_ACCESS_KEY = graphql(`
  mutation DeleteAccessKey($input: DeleteAccessKeyInput!) {
    deleteAccessKey(input: $input) {
      __typename
      ... on DeleteAccessKeySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** An access key as this section lists it. */
type Key = NonNullable<AccessKeysQuery['accessKeys']>[number];

/** AWS's quota of access keys per user. */
const MAX_KEYS = 2;

/** The access keys of `userName`, or of the caller when it is undefined. */
export function AccessKeys(props: { userName?: string | undefined }) {
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [secret, setSecret] = useState<{ accessKeyId: string; secretAccessKey: string; userName: string } | undefined>(undefined);
  const result = useQuery(ACCESS_KEYS, { userName: props.userName ?? null }, { refreshKey: version });
  const create = useResultMutation(CREATE_ACCESS_KEY, 'createAccessKey', []);
  const keys = result.data?.accessKeys;
  const refused = errorAt(result.errors, 'accessKeys');
  const changed = (message: string): void => {
    setDone(message);
    setVersion((v) => v + 1);
  };

  return (
    <div>
      <h3 style={{ fontSize: 15 }}>Access keys</h3>
      {result.loading && result.data === undefined ? <Loading what="access keys" /> : null}
      <ErrorNotice error={result.error ?? refused} />
      {keys == null ? null : keys.length === 0 ? (
        <p className="muted">No access key.</p>
      ) : (
        <div className="table-wrap" tabIndex={0} role="region" aria-label="Access keys">
          <table aria-label="Access keys">
            <thead>
              <tr>
                <th scope="col">Access key ID</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">Last used</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <KeyRow key={key.accessKeyId} accessKey={key} userName={props.userName} onChange={changed} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {secret === undefined ? null : <NewSecret {...secret} onDone={() => setSecret(undefined)} />}
      {keys == null || secret !== undefined ? null : (
        <p>
          <button
            type="button"
            disabled={create.busy || keys.length >= MAX_KEYS}
            onClick={async () => {
              setDone(undefined);
              const success = await create.submit({ input: { userName: props.userName ?? null } });
              if (success !== undefined) {
                setSecret({ accessKeyId: success.accessKey.accessKeyId, secretAccessKey: success.secretAccessKey, userName: success.accessKey.userName });
                setVersion((v) => v + 1);
              }
            }}
          >
            Create access key
          </button>{' '}
          {keys.length >= MAX_KEYS ? <span className="muted">A user has at most {MAX_KEYS} access keys: delete one first.</span> : null}
        </p>
      )}
      <ResultErrorNotice error={create.errors.general} />
      <ErrorNotice error={create.failure} />
      {done === undefined ? null : <Success>{done}</Success>}
    </div>
  );
}

/** One key: status, dates, last use and its actions. */
function KeyRow(props: { accessKey: Key; userName: string | undefined; onChange: (message: string) => void }) {
  const key = props.accessKey;
  const [confirmDelete, setConfirmDelete] = useState(false);
  const lastUsed = useQuery(LAST_USED, { accessKeyId: key.accessKeyId });
  const update = useResultMutation(UPDATE_ACCESS_KEY, 'updateAccessKey', []);
  const remove = useResultMutation(DELETE_ACCESS_KEY, 'deleteAccessKey', []);
  const used = lastUsed.data?.accessKeyLastUsed;
  const usedRefused = lastUsed.error ?? errorAt(lastUsed.errors, 'accessKeyLastUsed');
  const active = key.status === 'ACTIVE';
  const userName = props.userName ?? null;

  return (
    <tr>
      <td className="mono">{key.accessKeyId}</td>
      <td>{active ? 'Active' : 'Inactive'}</td>
      <td>{new Date(key.createDate).toLocaleString()}</td>
      <td>
        {usedRefused !== undefined ? (
          <span className="muted" title={usedRefused.message}>
            {usedRefused.code === 'ACCESS_DENIED' ? 'not allowed to see' : 'unavailable'}
          </span>
        ) : used == null ? null : used.lastUsedDate == null ? (
          'Never'
        ) : (
          `${new Date(used.lastUsedDate).toLocaleString()}${(used.actionName ?? used.serviceName) == null ? '' : ` (${used.actionName ?? used.serviceName})`}`
        )}
      </td>
      <td>
        <div className="row">
          <button
            type="button"
            disabled={update.busy}
            aria-label={`${active ? 'Deactivate' : 'Activate'} ${key.accessKeyId}`}
            onClick={async () => {
              const success = await update.submit({ input: { userName, accessKeyId: key.accessKeyId, status: active ? 'INACTIVE' : 'ACTIVE' } });
              if (success !== undefined) props.onChange(`${active ? 'Deactivated' : 'Activated'} ${key.accessKeyId} (revision ${success.revision}).`);
            }}
          >
            {active ? 'Deactivate' : 'Activate'}
          </button>
          {active ? null : confirmDelete ? (
            <>
              <button
                type="button"
                className="danger"
                disabled={remove.busy}
                aria-label={`Confirm deleting ${key.accessKeyId}`}
                onClick={async () => {
                  const success = await remove.submit({ input: { userName, accessKeyId: key.accessKeyId } });
                  if (success !== undefined) props.onChange(`Deleted ${key.accessKeyId} (revision ${success.revision}).`);
                }}
              >
                Delete for good
              </button>
              <button type="button" onClick={() => setConfirmDelete(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className="danger" aria-label={`Delete ${key.accessKeyId}`} onClick={() => setConfirmDelete(true)}>
              Delete…
            </button>
          )}
        </div>
        <ResultErrorNotice error={update.errors.general ?? remove.errors.general} />
        <ErrorNotice error={update.failure ?? remove.failure} />
      </td>
    </tr>
  );
}
