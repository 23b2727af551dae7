/**
 * Whether the root uses a policy type (EnablePolicyType, DisablePolicyType), shown above that
 * type's table. Disabling detaches every policy of the type from every target, so it asks first;
 * enabling attaches the type's AWS managed full-access policy everywhere and needs no warning.
 */
import { useState } from 'react';
import { graphql } from '../../api/generated/gql.ts';
import type { OrganizationPolicyType } from '../../api/generated/graphql.ts';
import { useResultMutation } from '../../api/use-result-mutation.ts';
import { ErrorNotice } from '../notice.tsx';
import { ResultErrorNotice } from '../result-error.tsx';

const ENABLE = graphql(`
  mutation EnablePolicyType($input: EnablePolicyTypeInput!) {
    enablePolicyType(input: $input) {
      __typename
      ... on EnablePolicyTypeSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DISABLE = graphql(`
  mutation DisablePolicyType($input: DisablePolicyTypeInput!) {
    disablePolicyType(input: $input) {
      __typename
      ... on DisablePolicyTypeSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** The status of `type` in the root and the button that flips it; `onChanged` after a flip. */
export function PolicyTypeSwitch(props: { rootId: string; type: OrganizationPolicyType; enabled: boolean; onChanged: (message: string) => void }) {
  const short = props.type === 'SERVICE_CONTROL_POLICY' ? 'SCPs' : 'RCPs';
  const [confirming, setConfirming] = useState(false);
  const enable = useResultMutation(ENABLE, 'enablePolicyType', []);
  const disable = useResultMutation(DISABLE, 'disablePolicyType', []);
  const input = { rootId: props.rootId, policyType: props.type };

  return (
    <div>
      <p className="row">
        <span>
          {short} are{' '}
          <span className={`badge ${props.enabled ? 'allowed' : 'neutral'}`}>{props.enabled ? 'enabled' : 'disabled'}</span> in the root
          {props.enabled ? '.' : ': none applies, and none can be attached.'}
        </span>
        {props.enabled ? (
          confirming ? null : (
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              Disable {short}…
            </button>
          )
        ) : (
          <button
            type="button"
            disabled={enable.busy}
            onClick={async () => {
              const success = await enable.submit({ input });
              if (success !== undefined) props.onChanged(`Enabled ${short}: ${props.type === 'SERVICE_CONTROL_POLICY' ? 'FullAWSAccess' : 'RCPFullAWSAccess'} is attached to the root, every OU and every account.`);
            }}
          >
            Enable {short}
          </button>
        )}
      </p>
      {props.enabled && confirming ? (
        <p className="row" role="group" aria-label={`Disable ${short}`}>
          <span>Disable {short}? Every one is detached from the root, every OU and every account, and none applies until you enable them again.</span>
          <button
            type="button"
            className="danger"
            disabled={disable.busy}
            onClick={async () => {
              const success = await disable.submit({ input });
              setConfirming(false);
              if (success !== undefined) props.onChanged(`Disabled ${short}.`);
            }}
          >
            Disable {short}
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </p>
      ) : null}
      <ResultErrorNotice error={enable.errors.general ?? disable.errors.general} />
      <ErrorNotice error={enable.failure ?? disable.failure} />
    </div>
  );
}
