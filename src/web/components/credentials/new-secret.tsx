/**
 * A new access key's secret, shown once as AWS shows it: the key id, the secret (hidden until
 * asked), copy buttons, and a download of `<user>_accessKeys.csv` with AWS's two columns. The
 * secret lives only in this component's props; "Done" drops it.
 */
import { useState } from 'react';

/** Props of NewSecret. */
export interface NewSecretProps {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly userName: string;
  readonly onDone: () => void;
}

/** The CSV the AWS console downloads for a new access key. */
export function accessKeyCsv(accessKeyId: string, secretAccessKey: string): string {
  return `Access key ID,Secret access key\r\n${accessKeyId},${secretAccessKey}\r\n`;
}

/** The one-time view of a new key. */
export function NewSecret(props: NewSecretProps) {
  const [shown, setShown] = useState(false);
  const [copied, setCopied] = useState<string | undefined>(undefined);
  // A data: URL, not a blob: one, so there is no object URL to revoke once the secret is dropped.
  const csvUrl = `data:text/csv;charset=utf-8,${encodeURIComponent(accessKeyCsv(props.accessKeyId, props.secretAccessKey))}`;

  const copy = async (what: string, text: string): Promise<void> => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(`Copied the ${what}.`);
    } catch {
      setCopied(`Could not copy the ${what}: select it and copy it by hand.`);
    }
  };

  return (
    <section className="notice ok" aria-labelledby="new-access-key">
      <h4 id="new-access-key" style={{ margin: '0 0 6px' }}>
        Access key created
      </h4>
      <p style={{ marginTop: 0 }}>
        This is the only time the secret access key can be seen or downloaded. Store it now; if you lose it, create a new key and deactivate this
        one.
      </p>
      <dl className="facts">
        <dt>Access key ID</dt>
        <dd>
          <code>{props.accessKeyId}</code>{' '}
          <button type="button" onClick={() => void copy('access key ID', props.accessKeyId)}>
            Copy ID
          </button>
        </dd>
        <dt>Secret access key</dt>
        <dd>
          <code data-testid="secret-access-key">{shown ? props.secretAccessKey : '•'.repeat(16)}</code>{' '}
          <button type="button" aria-pressed={shown} onClick={() => setShown((s) => !s)}>
            {shown ? 'Hide' : 'Show'}
          </button>{' '}
          <button type="button" onClick={() => void copy('secret access key', props.secretAccessKey)}>
            Copy secret
          </button>
        </dd>
      </dl>
      <p className="row">
        <a className="button-link" href={csvUrl} download={`${props.userName}_accessKeys.csv`}>
          Download .csv file
        </a>
        <button type="button" onClick={props.onDone}>
          Done
        </button>
      </p>
      <p role="status" className="muted">
        {copied ?? ''}
      </p>
    </section>
  );
}
