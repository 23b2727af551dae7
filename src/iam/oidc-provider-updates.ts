/**
 * Changes to a registered OpenID Connect provider, with IAM's operation names and rules:
 * AddClientIDToOpenIDConnectProvider and RemoveClientIDFromOpenIDConnectProvider (both idempotent:
 * adding a registered id or removing an absent one succeeds and changes nothing; at most 100 ids of
 * 1-255 characters), UpdateOpenIDConnectProviderThumbprint (replaces the whole list: at most 5
 * SHA-1 thumbprints of 40 hex digits), TagOpenIDConnectProvider, UntagOpenIDConnectProvider and
 * ListOpenIDConnectProviderTags (AWS's tag rules, shared through tag-set.ts). Each write locks the
 * row, so concurrent edits of one list never lose each other's change.
 */
import { eq } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.ts';
import { oidcProviders } from '../db/schema/index.ts';
import { runWrite, type ChangeInput, type WriteActor, type WriteResult } from '../changes/outbox.ts';
import { LimitExceededError } from '../errors.ts';
import type { Queryable } from './affected-principals.ts';
import { getOidcProvider, MAX_CLIENT_IDS, validateClientId, validateProviderArn, validateThumbprints, type OidcProvider } from './oidc-providers.ts';
import { mergeTags, removeTags, type Tag } from './tag-set.ts';
import { validateTagKeys, validateTags } from './validation.ts';

const ARN_FIELD = 'input.openIDConnectProviderArn';

/** The provider, locked for the rest of the transaction. */
async function lockProvider(tx: Tx, accountId: string, arn: string): Promise<OidcProvider> {
  const provider = await getOidcProvider(tx, accountId, arn, ARN_FIELD);
  const [locked] = await tx.select().from(oidcProviders).where(eq(oidcProviders.arn, provider.arn)).for('update');
  return locked ?? provider;
}

/** Stores `values` on the provider and records one change of `kind`. */
async function updateProvider(
  database: Database,
  actor: WriteActor,
  arn: string,
  change: (provider: OidcProvider) => { values: Partial<OidcProvider>; kind: ChangeInput['kind']; payload: Record<string, unknown> } | undefined,
): Promise<WriteResult<OidcProvider>> {
  validateProviderArn(arn, ARN_FIELD);
  return runWrite(database, actor, async (tx, record) => {
    const provider = await lockProvider(tx, actor.accountId, arn);
    const planned = change(provider);
    // Idempotent no-op (the id was already there or absent): nothing written, nothing logged.
    if (planned === undefined) return provider;
    const [updated] = await tx.update(oidcProviders).set(planned.values).where(eq(oidcProviders.arn, provider.arn)).returning();
    record({ kind: planned.kind, entityType: 'oidc-provider', entityArn: provider.arn, affectedPrincipalIds: [], payload: { url: provider.url, ...planned.payload } });
    return updated!;
  });
}

/** AddClientIDToOpenIDConnectProvider: registers one more audience; adding a registered one changes nothing. */
export function addClientIdToOidcProvider(database: Database, actor: WriteActor, input: { openIDConnectProviderArn: string; clientID: string }) {
  const clientId = validateClientId(input.clientID, 'input.clientID');
  return updateProvider(database, actor, input.openIDConnectProviderArn, (provider) => {
    if (provider.clientIds.includes(clientId)) return undefined;
    if (provider.clientIds.length >= MAX_CLIENT_IDS) {
      throw new LimitExceededError('ClientIDsPerOpenIDConnectProvider', MAX_CLIENT_IDS, `cannot exceed quota for ClientIDsPerOpenIDConnectProvider: ${MAX_CLIENT_IDS}`);
    }
    return { values: { clientIds: [...provider.clientIds, clientId] }, kind: 'OpenIDConnectProviderClientIDAdded', payload: { clientID: clientId } };
  });
}

/** RemoveClientIDFromOpenIDConnectProvider: drops one audience; removing an absent one changes nothing. */
export function removeClientIdFromOidcProvider(database: Database, actor: WriteActor, input: { openIDConnectProviderArn: string; clientID: string }) {
  const clientId = validateClientId(input.clientID, 'input.clientID');
  return updateProvider(database, actor, input.openIDConnectProviderArn, (provider) => {
    if (!provider.clientIds.includes(clientId)) return undefined;
    return { values: { clientIds: provider.clientIds.filter((id) => id !== clientId) }, kind: 'OpenIDConnectProviderClientIDRemoved', payload: { clientID: clientId } };
  });
}

/** UpdateOpenIDConnectProviderThumbprint: replaces the whole thumbprint list. */
export function updateOidcProviderThumbprint(database: Database, actor: WriteActor, input: { openIDConnectProviderArn: string; thumbprintList: readonly string[] }) {
  const thumbprints = validateThumbprints(input.thumbprintList, 'input.thumbprintList');
  return updateProvider(database, actor, input.openIDConnectProviderArn, () => ({
    values: { thumbprints },
    kind: 'OpenIDConnectProviderThumbprintUpdated',
    payload: { thumbprintList: thumbprints },
  }));
}

/** TagOpenIDConnectProvider: adds or overwrites tags (keys compared case-insensitively; at most 50). */
export function tagOidcProvider(database: Database, actor: WriteActor, input: { openIDConnectProviderArn: string; tags: readonly Tag[] }) {
  const tags = validateTags(input.tags);
  return updateProvider(database, actor, input.openIDConnectProviderArn, (provider) => ({
    values: { tags: mergeTags(provider.tags, tags) },
    kind: 'OpenIDConnectProviderTagged',
    payload: { tagKeys: tags.map((t) => t.key) },
  }));
}

/** UntagOpenIDConnectProvider: removes tags by key (any case); absent keys are ignored. */
export function untagOidcProvider(database: Database, actor: WriteActor, input: { openIDConnectProviderArn: string; tagKeys: readonly string[] }) {
  const keys = validateTagKeys(input.tagKeys);
  return updateProvider(database, actor, input.openIDConnectProviderArn, (provider) => ({
    values: { tags: removeTags(provider.tags, keys) },
    kind: 'OpenIDConnectProviderUntagged',
    payload: { tagKeys: keys },
  }));
}

/** ListOpenIDConnectProviderTags: the provider's tags. */
export async function listOidcProviderTags(tx: Queryable, accountId: string, arn: string, field = 'openIDConnectProviderArn'): Promise<Tag[]> {
  return (await getOidcProvider(tx, accountId, arn, field)).tags;
}
