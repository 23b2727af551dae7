/**
 * Setting or removing a user's or role's permissions boundary from its page: the managed policy
 * is picked by name (PutUserPermissionsBoundary / PutRolePermissionsBoundary), and removed with
 * DeleteUserPermissionsBoundary / DeleteRolePermissionsBoundary.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { EntityPicker } from './entity-picker.tsx';
import { ErrorNotice, Success } from './notice.tsx';
import { ResultErrorNotice } from './result-error.tsx';

const PUT_USER_BOUNDARY = graphql(`
  mutation PutUserBoundary($name: String!, $policyArn: String!) {
    result: putUserPermissionsBoundary(input: { userName: $name, permissionsBoundary: $policyArn }) {
      __typename
      ... on PutUserPermissionsBoundarySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const PUT_ROLE_BOUNDARY = graphql(`
  mutation PutRoleBoundary($name: String!, $policyArn: String!) {
    result: putRolePermissionsBoundary(input: { roleName: $name, permissionsBoundary: $policyArn }) {
      __typename
      ... on PutRolePermissionsBoundarySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DELETE_USER_BOUNDARY = graphql(`
  mutation DeleteUserBoundary($name: String!) {
    result: deleteUserPermissionsBoundary(input: { userName: $name }) {
      __typename
      ... on DeleteUserPermissionsBoundarySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DELETE_ROLE_BOUNDARY = graphql(`
  mutation DeleteRoleBoundary($name: String!) {
    result: deleteRolePermissionsBoundary(input: { roleName: $name }) {
      __typename
      ... on DeleteRolePermissionsBoundarySuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** Props of PermissionsBoundaryForm. */
export interface PermissionsBoundaryFormProps {
  readonly kind: 'user' | 'role';
  readonly name: string;
  /** Whether a boundary is set now (offers "Remove"). */
  readonly hasBoundary: boolean;
  readonly onChange: () => void;
}

/** Set (or replace) and remove the boundary. */
export function PermissionsBoundaryForm(props: PermissionsBoundaryFormProps) {
  const [policyArn, setPolicyArn] = useState('');
  const [done, setDone] = useState<string | undefined>(undefined);
  const putUser = useResultMutation(PUT_USER_BOUNDARY, 'result', ['permissionsBoundary'], { POLICY: 'permissionsBoundary' });
  const putRole = useResultMutation(PUT_ROLE_BOUNDARY, 'result', ['permissionsBoundary'], { POLICY: 'permissionsBoundary' });
  const deleteUser = useResultMutation(DELETE_USER_BOUNDARY, 'result', []);
  const deleteRole = useResultMutation(DELETE_ROLE_BOUNDARY, 'result', []);
  const put = props.kind === 'user' ? putUser : putRole;
  const remove = props.kind === 'user' ? deleteUser : deleteRole;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setDone(undefined);
    const arn = policyArn.trim();
    const success = await put.submit({ name: props.name, policyArn: arn });
    if (success !== undefined) {
      setDone(`Set the permissions boundary to ${arn} (revision ${success.revision}).`);
      setPolicyArn('');
      props.onChange();
    }
  };

  return (
    <>
      <form onSubmit={submit} className="row" aria-label="Set the permissions boundary" noValidate>
        <div style={{ flex: '1 1 320px' }}>
          <EntityPicker
            kind="policy"
            label={props.hasBoundary ? 'Change boundary' : 'Set boundary'}
            value={policyArn}
            onChange={setPolicyArn}
            error={put.errors.fields.permissionsBoundary}
            placeholder="a managed policy"
          />
        </div>
        <div className="field">
          <button type="submit" disabled={put.busy || policyArn.trim() === ''}>
            {props.hasBoundary ? 'Change' : 'Set'}
          </button>
        </div>
        {props.hasBoundary ? (
          <div className="field">
            <button
              type="button"
              className="danger"
              disabled={remove.busy}
              onClick={async () => {
                setDone(undefined);
                const success = await remove.submit({ name: props.name });
                if (success !== undefined) {
                  setDone(`Removed the permissions boundary (revision ${success.revision}).`);
                  props.onChange();
                }
              }}
            >
              Remove boundary
            </button>
          </div>
        ) : null}
      </form>
      <ResultErrorNotice error={put.errors.general ?? remove.errors.general} />
      <ErrorNotice error={put.failure ?? remove.failure} />
      {done === undefined ? null : <Success>{done}</Success>}
    </>
  );
}
