/**
 * A user's virtual MFA devices: assign one (CreateVirtualMFADevice, then a QR code drawn in the
 * page and two consecutive codes for EnableMFADevice), or remove one (DeactivateMFADevice, then
 * DeleteVirtualMFADevice, as the AWS console's "Remove" does). The device is named after the
 * user by default, the name AWS's self-management policy allows (`mfa/${aws:username}`).
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../../api/generated/gql.ts';
import { errorAt } from '../../api/graphql.ts';
import { useQuery } from '../../api/use-query.ts';
import { useResultMutation } from '../../api/use-result-mutation.ts';
import { TextField } from '../field.tsx';
import { ErrorNotice, Loading, Success } from '../notice.tsx';
import { ResultErrorNotice } from '../result-error.tsx';
import { QrCode } from './qr-code.tsx';

const MFA_DEVICES = graphql(`
  query MfaDevices($userName: String) {
    mfaDevices(userName: $userName) {
      serialNumber
      enableDate
    }
  }
`);

const CREATE_VIRTUAL_MFA_DEVICE = graphql(`
  mutation CreateVirtualMfaDevice($input: CreateVirtualMFADeviceInput!) {
    createVirtualMFADevice(input: $input) {
      __typename
      ... on CreateVirtualMFADeviceSuccess {
        revision
        serialNumber
        otpauthUri
        base32StringSeed
      }
      ...ResultErrorFields
    }
  }
`);

const ENABLE_MFA_DEVICE = graphql(`
  mutation EnableMfaDevice($input: EnableMFADeviceInput!) {
    enableMFADevice(input: $input) {
      __typename
      ... on EnableMFADeviceSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DEACTIVATE_MFA_DEVICE = graphql(`
  mutation DeactivateMfaDevice($input: DeactivateMFADeviceInput!) {
    deactivateMFADevice(input: $input) {
      __typename
      ... on DeactivateMFADeviceSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

const DELETE_VIRTUAL_MFA_DEVICE = graphql(`
  mutation DeleteVirtualMfaDevice($input: DeleteVirtualMFADeviceInput!) {
    deleteVirtualMFADevice(input: $input) {
      __typename
      ... on DeleteVirtualMFADeviceSuccess {
        revision
      }
      ...ResultErrorFields
    }
  }
`);

/** A device being assigned: created, not yet enabled. */
interface Pending {
  readonly serialNumber: string;
  readonly otpauthUri: string;
  readonly seed: string;
}

/** Props of MfaDevices. */
export interface MfaDevicesProps {
  /** The user; undefined for the caller. */
  readonly userName?: string | undefined;
  /** The name the device gets by default: the user's name. */
  readonly defaultDeviceName: string;
}

/** The MFA section of a user's credentials. */
export function MfaDevices(props: MfaDevicesProps) {
  const [version, setVersion] = useState(0);
  const [done, setDone] = useState<string | undefined>(undefined);
  const [assigning, setAssigning] = useState(false);
  const result = useQuery(MFA_DEVICES, { userName: props.userName ?? null }, { refreshKey: version });
  const deactivate = useResultMutation(DEACTIVATE_MFA_DEVICE, 'deactivateMFADevice', []);
  const deleteDevice = useResultMutation(DELETE_VIRTUAL_MFA_DEVICE, 'deleteVirtualMFADevice', []);
  const devices = result.data?.mfaDevices;
  const refused = errorAt(result.errors, 'mfaDevices');
  const changed = (message: string): void => {
    setDone(message);
    setVersion((v) => v + 1);
  };

  const removeDevice = async (serialNumber: string): Promise<void> => {
    setDone(undefined);
    const off = await deactivate.submit({ input: { userName: props.userName ?? null, serialNumber } });
    if (off === undefined) return;
    // The device is unassigned now; deleting it is a separate permission and may be refused alone.
    const gone = await deleteDevice.submit({ input: { serialNumber } });
    changed(gone === undefined ? `Deactivated ${serialNumber}; it is unassigned but could not be deleted.` : `Removed ${serialNumber} (revision ${gone.revision}).`);
  };

  return (
    <div>
      <h3 style={{ fontSize: 15 }}>Multi-factor authentication (MFA)</h3>
      {result.loading && result.data === undefined ? <Loading what="MFA devices" /> : null}
      <ErrorNotice error={result.error ?? refused} />
      {devices == null ? null : devices.length === 0 ? (
        <p className="muted">No MFA device assigned.</p>
      ) : (
        <ul aria-label="MFA devices">
          {devices.map((device) => (
            <li key={device.serialNumber}>
              <code>{device.serialNumber}</code> <span className="muted">virtual, {device.enableDate == null ? 'not enabled' : `enabled ${new Date(device.enableDate).toLocaleString()}`}</span>{' '}
              <button type="button" className="danger" disabled={deactivate.busy || deleteDevice.busy} aria-label={`Remove MFA device ${device.serialNumber}`} onClick={() => void removeDevice(device.serialNumber)}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <ResultErrorNotice error={deactivate.errors.general ?? deleteDevice.errors.general} />
      <ErrorNotice error={deactivate.failure ?? deleteDevice.failure} />
      {devices == null ? null : assigning ? (
        <AssignMfaDevice
          userName={props.userName}
          defaultDeviceName={props.defaultDeviceName}
          onCancel={() => setAssigning(false)}
          onEnabled={(message) => {
            setAssigning(false);
            changed(message);
          }}
        />
      ) : (
        <p>
          <button
            type="button"
            onClick={() => {
              setDone(undefined);
              setAssigning(true);
            }}
          >
            Assign MFA device
          </button>
        </p>
      )}
      {done === undefined ? null : <Success>{done}</Success>}
    </div>
  );
}

/** Name the device, scan its QR code, type two consecutive codes. */
function AssignMfaDevice(props: { userName: string | undefined; defaultDeviceName: string; onCancel: () => void; onEnabled: (message: string) => void }) {
  const [deviceName, setDeviceName] = useState(props.defaultDeviceName);
  const [pending, setPending] = useState<Pending | undefined>(undefined);
  const [showSeed, setShowSeed] = useState(false);
  const [code1, setCode1] = useState('');
  const [code2, setCode2] = useState('');
  const create = useResultMutation(CREATE_VIRTUAL_MFA_DEVICE, 'createVirtualMFADevice', ['virtualMFADeviceName']);
  const enable = useResultMutation(ENABLE_MFA_DEVICE, 'enableMFADevice', ['authenticationCode1', 'authenticationCode2']);
  const discard = useResultMutation(DELETE_VIRTUAL_MFA_DEVICE, 'deleteVirtualMFADevice', []);

  const createDevice = async (event: FormEvent) => {
    event.preventDefault();
    const success = await create.submit({ input: { virtualMFADeviceName: deviceName.trim() } });
    if (success !== undefined) setPending({ serialNumber: success.serialNumber, otpauthUri: success.otpauthUri, seed: success.base32StringSeed });
  };

  const enableDevice = async (event: FormEvent) => {
    event.preventDefault();
    if (pending === undefined) return;
    const input = { userName: props.userName ?? null, serialNumber: pending.serialNumber, authenticationCode1: code1.trim(), authenticationCode2: code2.trim() };
    const success = await enable.submit({ input });
    if (success !== undefined) props.onEnabled(`Enabled MFA device ${pending.serialNumber} (revision ${success.revision}).`);
  };

  // An abandoned device would keep its name taken: delete it (it is not assigned to anyone yet).
  const cancel = async (): Promise<void> => {
    if (pending !== undefined) await discard.submit({ input: { serialNumber: pending.serialNumber } });
    props.onCancel();
  };

  if (pending === undefined) {
    return (
      <form onSubmit={createDevice} aria-label="Assign MFA device" noValidate className="panel">
        <TextField
          label="Device name"
          hint="letters, digits and +=,.@-_"
          value={deviceName}
          onChange={setDeviceName}
          error={create.errors.fields.virtualMFADeviceName}
          spellCheck={false}
          autoComplete="off"
        />
        <ResultErrorNotice error={create.errors.general} />
        <ErrorNotice error={create.failure} />
        <div className="row">
          <button type="submit" className="primary" disabled={create.busy || deviceName.trim() === ''}>
            Next
          </button>
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    );
  }

  return (
    <form onSubmit={enableDevice} aria-label="Enable MFA device" noValidate className="panel">
      <ol>
        <li>Install an authenticator app (any app for time-based one-time passwords) on a phone or computer.</li>
        <li>
          Scan this QR code with the app, or type the secret key into it.
          <div style={{ margin: '8px 0' }}>
            <QrCode text={pending.otpauthUri} label={`QR code for MFA device ${pending.serialNumber}`} />
          </div>
          <button type="button" aria-pressed={showSeed} onClick={() => setShowSeed((s) => !s)}>
            {showSeed ? 'Hide secret key' : 'Show secret key'}
          </button>{' '}
          {showSeed ? <code data-testid="mfa-seed">{pending.seed}</code> : null}
        </li>
        <li>
          Type two consecutive codes from the app: wait for the code to change before typing the second.
          <div className="row">
            <TextField label="MFA code 1" value={code1} onChange={setCode1} error={enable.errors.fields.authenticationCode1} inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
            <TextField label="MFA code 2" value={code2} onChange={setCode2} error={enable.errors.fields.authenticationCode2} inputMode="numeric" autoComplete="one-time-code" maxLength={6} />
          </div>
        </li>
      </ol>
      <ResultErrorNotice error={enable.errors.general} />
      <ErrorNotice error={enable.failure} />
      <ResultErrorNotice error={discard.errors.general} />
      <div className="row">
        <button type="submit" className="primary" disabled={enable.busy || code1.trim() === '' || code2.trim() === ''}>
          Add MFA
        </button>
        <button type="button" disabled={discard.busy} onClick={() => void cancel()}>
          Cancel
        </button>
      </div>
    </form>
  );
}
