/**
 * SAML 2.0 identity providers with IAM's operations and rules: CreateSAMLProvider (from the IdP's
 * metadata XML, a name of 1-128 `[\w._-]` characters, tags), UpdateSAMLProvider (replaces the
 * metadata), DeleteSAMLProvider, GetSAMLProvider, ListSAMLProviders, TagSAMLProvider,
 * UntagSAMLProvider and ListSAMLProviderTags. A provider is trusted by role trust policies as
 * `"Principal": {"Federated": "arn:aws:iam::<account>:saml-provider/<name>"}` for AssumeRoleWithSAML.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Database, Tx } from '../db/client.ts';
import { samlProviders, type Tag } from '../db/schema/index.ts';
import { runWrite, type ChangeInput, type WriteActor, type WriteResult } from '../changes/outbox.ts';
import { EntityAlreadyExistsError, LimitExceededError, NoSuchEntityError, ValidationError } from '../errors.ts';
import type { Queryable } from './affected-principals.ts';
import { parseSamlMetadata } from './saml-metadata.ts';
import { mergeTags, removeTags } from './tag-set.ts';
import { rethrowUniqueViolation } from './unique-violation.ts';
import { validateTagKeys, validateTags } from './validation.ts';

/** A stored provider row. */
export type SamlProvider = typeof samlProviders.$inferSelect;

/** IAM quota: SAML providers per account. */
const MAX_PROVIDERS = 100;
const NAME = /^[\w.-]{1,128}$/;
const ARN = /^arn:aws:iam::(\d{12}):saml-provider\/([\w.-]{1,128})$/;

/** The provider ARN for a name. */
export function samlProviderArn(accountId: string, name: string): string {
  return `arn:aws:iam::${accountId}:saml-provider/${name}`;
}

/** Validates a provider name: 1-128 letters, digits and `_ . -`. */
export function validateSamlProviderName(name: string, field = 'input.name'): string {
  if (name.length < 1 || name.length > 128) throw new ValidationError(field, 'length', `${field} must be 1-128 characters long`);
  if (!NAME.test(name)) throw new ValidationError(field, 'pattern', `${field} ${JSON.stringify(name)} may contain only letters, digits and _ . -`);
  return name;
}

/** Validates a provider ARN; returns its account and name. */
export function parseSamlProviderArn(arn: string, field = 'input.samlProviderArn'): { accountId: string; name: string } {
  const match = ARN.exec(arn);
  if (match === null) throw new ValidationError(field, 'pattern', `${field} ${JSON.stringify(arn.slice(0, 100))} is not a SAML provider ARN`);
  return { accountId: match[1]!, name: match[2]! };
}

/**
 * Parses a provider's metadata for `operation`; a refused document (over the size cap, not
 * metadata, no signing certificate, …) is recorded as one audit-only `SAMLMetadataRefused` row
 * (the rule, the message and the document's length; never the document) before the ValidationError
 * goes back to the caller. Nothing else is written.
 */
async function acceptedMetadata(database: Database, actor: WriteActor, target: { arn: string; operation: string }, document: string) {
  try {
    return await parseSamlMetadata(document);
  } catch (error) {
    if (error instanceof ValidationError) {
      await runWrite(database, actor, async (_tx, record) => {
        record({
          kind: 'SAMLMetadataRefused',
          entityType: 'saml-provider',
          entityArn: target.arn,
          affectedPrincipalIds: [],
          payload: { operation: target.operation, field: error.field, rule: error.rule, reason: error.message.slice(0, 500), characters: document.length },
        });
      });
    }
    throw error;
  }
}

/** CreateSAMLProvider parameters. */
export interface CreateSamlProviderInput {
  readonly name: string;
  readonly samlMetadataDocument: string;
  readonly tags?: readonly Tag[] | null;
}

/** CreateSAMLProvider. */
export async function createSamlProvider(database: Database, actor: WriteActor, input: CreateSamlProviderInput): Promise<WriteResult<SamlProvider>> {
  const name = validateSamlProviderName(input.name);
  const arn = samlProviderArn(actor.accountId, name);
  const metadata = await acceptedMetadata(database, actor, { arn, operation: 'CreateSAMLProvider' }, input.samlMetadataDocument);
  const tags = validateTags(input.tags);
  const exists = () => new EntityAlreadyExistsError('SAMLProvider', name);
  return runWrite(database, actor, async (tx, record) => {
    const [clash] = await tx
      .select({ arn: samlProviders.arn })
      .from(samlProviders)
      .where(and(eq(samlProviders.accountId, actor.accountId), eq(sql`lower(${samlProviders.name})`, name.toLowerCase())));
    if (clash !== undefined) throw exists();
    const [count] = await tx.select({ n: sql<number>`count(*)::int` }).from(samlProviders).where(eq(samlProviders.accountId, actor.accountId));
    if ((count?.n ?? 0) >= MAX_PROVIDERS) throw new LimitExceededError('SAMLProviders', MAX_PROVIDERS, `cannot exceed quota for SAMLProviders: ${MAX_PROVIDERS} per account`);
    const [row] = await tx
      .insert(samlProviders)
      .values({ arn, accountId: actor.accountId, name, metadataDocument: input.samlMetadataDocument, ...metadata, signingCertificates: [...metadata.signingCertificates], tags })
      .returning()
      .catch(rethrowUniqueViolation(exists));
    record({ kind: 'SAMLProviderCreated', entityType: 'saml-provider', entityArn: arn, affectedPrincipalIds: [], payload: { name, entityId: metadata.entityId } });
    return row!;
  });
}

/** GetSAMLProvider: the account's provider with this ARN. */
export async function getSamlProvider(tx: Queryable, accountId: string, arn: string, field = 'input.samlProviderArn'): Promise<SamlProvider> {
  parseSamlProviderArn(arn, field);
  const [row] = await tx.select().from(samlProviders).where(and(eq(samlProviders.arn, arn), eq(samlProviders.accountId, accountId)));
  if (row === undefined) throw new NoSuchEntityError('SAMLProvider', arn);
  return row;
}

/** The provider with this ARN in whichever account it names, if any (AssumeRoleWithSAML's lookup). */
export async function findSamlProviderByArn(tx: Queryable, arn: string): Promise<SamlProvider | undefined> {
  const { accountId } = parseSamlProviderArn(arn, 'input.principalArn');
  const [row] = await tx.select().from(samlProviders).where(and(eq(samlProviders.arn, arn), eq(samlProviders.accountId, accountId)));
  return row;
}

/** ListSAMLProviders: the account's providers by name. */
export async function listSamlProviders(tx: Queryable, accountId: string): Promise<SamlProvider[]> {
  return tx.select().from(samlProviders).where(eq(samlProviders.accountId, accountId)).orderBy(asc(samlProviders.name));
}

/** The provider, locked for the rest of the transaction. */
async function lockProvider(tx: Tx, accountId: string, arn: string): Promise<SamlProvider> {
  const provider = await getSamlProvider(tx, accountId, arn);
  const [locked] = await tx.select().from(samlProviders).where(eq(samlProviders.arn, provider.arn)).for('update');
  return locked ?? provider;
}

/** Stores the values `change` plans on the locked provider and records its change. */
function updateProvider(
  database: Database,
  actor: WriteActor,
  arn: string,
  change: (provider: SamlProvider) => { values: Partial<SamlProvider>; kind: ChangeInput['kind']; payload: Record<string, unknown> },
): Promise<WriteResult<SamlProvider>> {
  parseSamlProviderArn(arn);
  return runWrite(database, actor, async (tx, record) => {
    const provider = await lockProvider(tx, actor.accountId, arn);
    const planned = change(provider);
    const [updated] = await tx.update(samlProviders).set(planned.values).where(eq(samlProviders.arn, provider.arn)).returning();
    record({ kind: planned.kind, entityType: 'saml-provider', entityArn: provider.arn, affectedPrincipalIds: [], payload: { name: provider.name, ...planned.payload } });
    return updated!;
  });
}

/** UpdateSAMLProvider: replaces the metadata (issuer, certificates, validUntil). */
export async function updateSamlProvider(database: Database, actor: WriteActor, input: { samlProviderArn: string; samlMetadataDocument: string }) {
  parseSamlProviderArn(input.samlProviderArn);
  const metadata = await acceptedMetadata(database, actor, { arn: input.samlProviderArn, operation: 'UpdateSAMLProvider' }, input.samlMetadataDocument);
  return updateProvider(database, actor, input.samlProviderArn, () => ({
    values: { metadataDocument: input.samlMetadataDocument, entityId: metadata.entityId, signingCertificates: [...metadata.signingCertificates], validUntil: metadata.validUntil },
    kind: 'SAMLProviderUpdated',
    payload: { entityId: metadata.entityId },
  }));
}

/** TagSAMLProvider: adds or overwrites tags (keys compared case-insensitively; at most 50). */
export function tagSamlProvider(database: Database, actor: WriteActor, input: { samlProviderArn: string; tags: readonly Tag[] }) {
  const tags = validateTags(input.tags);
  return updateProvider(database, actor, input.samlProviderArn, (provider) => ({
    values: { tags: mergeTags(provider.tags, tags) },
    kind: 'SAMLProviderTagged',
    payload: { tagKeys: tags.map((t) => t.key) },
  }));
}

/** UntagSAMLProvider: removes tags by key (any case); absent keys are ignored. */
export function untagSamlProvider(database: Database, actor: WriteActor, input: { samlProviderArn: string; tagKeys: readonly string[] }) {
  const keys = validateTagKeys(input.tagKeys);
  return updateProvider(database, actor, input.samlProviderArn, (provider) => ({
    values: { tags: removeTags(provider.tags, keys) },
    kind: 'SAMLProviderUntagged',
    payload: { tagKeys: keys },
  }));
}

/** DeleteSAMLProvider. Roles trusting it keep their trust policies (they just stop matching). */
export async function deleteSamlProvider(database: Database, actor: WriteActor, arn: string): Promise<WriteResult<SamlProvider>> {
  parseSamlProviderArn(arn);
  return runWrite(database, actor, async (tx, record) => {
    const provider = await getSamlProvider(tx, actor.accountId, arn);
    await tx.delete(samlProviders).where(eq(samlProviders.arn, provider.arn));
    record({ kind: 'SAMLProviderDeleted', entityType: 'saml-provider', entityArn: provider.arn, affectedPrincipalIds: [], payload: { name: provider.name } });
    return provider;
  });
}
