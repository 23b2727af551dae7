/**
 * Registering a resource: its ARN (whose service must be in the catalog), optionally its resource
 * type (the catalog's types of that service are suggested with their ARN formats), tags, and a
 * resource policy checked as one as you type.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { graphql } from '../api/generated/gql.ts';
import type { RegisterResourceInput } from '../api/generated/graphql.ts';
import { useSession } from '../api/session.ts';
import { useQuery } from '../api/use-query.ts';
import { useResultMutation } from '../api/use-result-mutation.ts';
import { usePolicyFindings } from '../api/validate.ts';
import { navigate } from '../router.ts';
import { TextField } from './field.tsx';
import { ErrorNotice } from './notice.tsx';
import { PolicyEditor } from './policy-editor.tsx';
import { ResultErrorNotice } from './result-error.tsx';
import { resourcePath, serviceOfArn, starterResourcePolicy } from './resource-arn.ts';
import { TagsField, useTagsField } from './tags-field.tsx';

const REGISTER_RESOURCE = graphql(`
  mutation RegisterResource($input: RegisterResourceInput!) {
    registerResource(input: $input) {
      __typename
      ... on RegisterResourceSuccess {
        revision
        resource {
          resourceArn
        }
      }
      ...ResultErrorFields
    }
  }
`);

const SERVICE_RESOURCE_TYPES = graphql(`
  query ServiceResourceTypes($serviceName: String!) {
    service(serviceName: $serviceName) {
      serviceName
      resourceTypes {
        name
        arnPattern
      }
    }
  }
`);

/** The register form, collapsed behind a button until wanted. */
export function RegisterResourceForm() {
  const [open, setOpen] = useState(false);
  const [resourceArn, setResourceArn] = useState('');
  const [resourceType, setResourceType] = useState('');
  const tagsField = useTagsField();
  const [withPolicy, setWithPolicy] = useState(false);
  const [document, setDocument] = useState('');
  const [refused, setRefused] = useState(false);
  const { session } = useSession();
  const serviceName = serviceOfArn(resourceArn.trim());
  const types = useQuery(SERVICE_RESOURCE_TYPES, { serviceName: serviceName ?? '' }, { skip: !open || serviceName === undefined });
  const { findings, checking, error: checkError } = usePolicyFindings(document, 'RESOURCE_POLICY', { skip: !withPolicy });
  const register = useResultMutation(REGISTER_RESOURCE, 'registerResource', ['resourceArn', 'resourceType', 'tags', 'resourcePolicy'], {});
  const errorCount = findings.filter((f) => f.findingType === 'ERROR').length;
  const resourceTypes = serviceName === undefined ? [] : (types.data?.service?.resourceTypes ?? []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const tags = tagsField.parse();
    if (tags === undefined) return;
    if (withPolicy && (errorCount > 0 || checking)) {
      setRefused(true);
      return;
    }
    setRefused(false);
    const input: RegisterResourceInput = { resourceArn: resourceArn.trim() };
    if (resourceType.trim() !== '') input.resourceType = resourceType.trim();
    if (tags.length > 0) input.tags = tags;
    if (withPolicy) input.resourcePolicy = document;
    const success = await register.submit({ input });
    if (success !== undefined) navigate(resourcePath(success.resource.resourceArn));
  };

  if (!open) {
    return (
      <p>
        <button type="button" className="primary" onClick={() => setOpen(true)}>
          Register resource
        </button>
      </p>
    );
  }
  return (
    <form className="panel" onSubmit={submit} aria-label="Register resource" noValidate>
      <h2 style={{ marginTop: 0 }}>Register resource</h2>
      <TextField
        label="Resource ARN"
        value={resourceArn}
        onChange={setResourceArn}
        error={register.errors.fields.resourceArn}
        placeholder="arn:aws:s3:::reports/q1.csv"
        autoFocus
        spellCheck={false}
      />
      <TextField
        label="Resource type"
        hint="(optional: found from the ARN)"
        value={resourceType}
        onChange={setResourceType}
        error={register.errors.fields.resourceType}
        list="register-resource-types"
        spellCheck={false}
      />
      <datalist id="register-resource-types">
        {resourceTypes.map((type) => (
          <option key={type.name} value={type.name}>
            {type.arnPattern}
          </option>
        ))}
      </datalist>
      <TagsField field={tagsField} serverError={register.errors.fields.tags} />
      <label style={{ display: 'flex', gap: 6, alignItems: 'center', fontWeight: 400, margin: '8px 0' }}>
        <input
          type="checkbox"
          style={{ width: 'auto' }}
          checked={withPolicy}
          onChange={(event) => {
            setWithPolicy(event.target.checked);
            if (event.target.checked && document === '') setDocument(starterResourcePolicy(resourceArn.trim(), session?.accountId ?? ''));
          }}
        />
        Add a resource policy
      </label>
      {withPolicy ? (
        <>
          <PolicyEditor label="Resource policy" value={document} onChange={setDocument} findings={findings} checking={checking} />
          <ErrorNotice error={checkError} title="Could not check the resource policy" />
        </>
      ) : null}
      {register.errors.fields.resourcePolicy === undefined ? null : (
        <div className="notice error" role="alert">
          {register.errors.fields.resourcePolicy}
        </div>
      )}
      {refused && errorCount > 0 ? (
        <div className="notice error" role="alert">
          Not registered: the resource policy has {errorCount} error{errorCount === 1 ? '' : 's'}.
        </div>
      ) : null}
      <ResultErrorNotice error={register.errors.general} />
      <ErrorNotice error={register.failure} />
      <div className="row">
        <button className="primary" type="submit" disabled={register.busy}>
          Register
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
