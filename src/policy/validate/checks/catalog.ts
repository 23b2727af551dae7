/**
 * Catalog-aware warnings, run only when the caller passes the account's catalog view
 * (`ParsePolicyOptions.catalog`): an action of a service nobody defined, an action its (known)
 * service does not have, a condition key its (known) service does not have, and an action paired
 * only with resources it never takes. Each suggests the nearest name, as Access Analyzer does.
 * They are warnings, never errors: any `service:Action` stays valid (applications bring their
 * own), and a catalog upgrade that drops an action must not stop a stored policy from saving again.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-reference-policy-checks.html
 */
import type { PolicyCheck } from '../check.ts';
import { conditionKeyOf, resourceTypesMatching, type CatalogAction, type CatalogService, type CatalogView } from '../catalog.ts';
import { conditionEntries } from '../condition-entries.ts';
import { quote, type StatementView, type ValidationContext } from '../context.ts';
import { stringItems } from '../json-types.ts';
import type { StringNode } from '../../parse/json-node.ts';
import { closestName } from '../suggest.ts';
import { patternCovers } from '../wildcard.ts';

const hasWildcard = (text: string): boolean => text.includes('*') || text.includes('?');

/** `; did you mean "X"?` with `X` prefixed, or the empty string. */
function suggestion(input: string, candidates: readonly string[], prefix = ''): string {
  const near = closestName(input, candidates);
  return near === undefined ? '' : `; did you mean ${JSON.stringify(prefix + near)}?`;
}

/** The action names of a service, kept per service for suggestions. */
const actionNames = new WeakMap<CatalogService, readonly string[]>();
function namesOf(service: CatalogService): readonly string[] {
  let names = actionNames.get(service);
  if (names === undefined) {
    names = [...service.actions.values()].map((a) => a.name);
    actionNames.set(service, names);
  }
  return names;
}

/** A well-formed `service:Action` entry split in two, or undefined (syntax is another check's job). */
function splitAction(value: string): { prefix: string; name: string } | undefined {
  const colon = value.indexOf(':');
  if (colon < 1 || colon === value.length - 1 || value.includes('${')) return undefined;
  return { prefix: value.slice(0, colon), name: value.slice(colon + 1) };
}

/** Reports unknown services and actions; returns the known, literal actions of the entries with their nodes. */
function checkActions(ctx: ValidationContext, catalog: CatalogView, element: string, items: readonly StringNode[]) {
  const known: { item: StringNode; service: CatalogService; action: CatalogAction }[] = [];
  for (const item of items) {
    const parts = splitAction(item.value);
    if (parts === undefined || hasWildcard(parts.prefix)) continue;
    const service = catalog.service(parts.prefix);
    if (service === undefined) {
      if (catalog.prefixes.includes(parts.prefix.toLowerCase())) continue; // known, just not loaded
      ctx.report(
        'INVALID_SERVICE_IN_ACTION',
        item,
        `"${element}" entry ${quote(item.value)} names the service ${quote(parts.prefix)}, which is neither an AWS service nor one of this account's services${suggestion(parts.prefix, catalog.prefixes, '')}`,
      );
      continue;
    }
    if (hasWildcard(parts.name)) {
      const matches = [...service.actions.values()].some((a) => patternCovers(parts.name, a.name, true));
      if (!matches) ctx.report('UNKNOWN_ACTION', item, `"${element}" entry ${quote(item.value)} matches no action of ${service.prefix} (${service.name})`);
      continue;
    }
    const action = service.actions.get(parts.name.toLowerCase());
    if (action === undefined) {
      ctx.report(
        'UNKNOWN_ACTION',
        item,
        `"${element}" entry ${quote(item.value)} is not an action of ${service.prefix} (${service.name})${suggestion(parts.name, namesOf(service), `${parts.prefix}:`)}`,
      );
      continue;
    }
    known.push({ item, service, action });
  }
  return known;
}

/** A policy resource as a pattern: policy variables may be anything, like `*`. */
function resourcePattern(value: string): string {
  return value.replace(/\$\{[^}]*\}/g, '*');
}

/**
 * Warns on each action whose resource types none of the statement's resources can be: the
 * statement never applies to that action. An action that takes only `*` warns when no resource is `*`.
 */
function checkResources(ctx: ValidationContext, st: StatementView, actions: ReturnType<typeof checkActions>): void {
  const member = st.member('Resource');
  if (member === undefined || actions.length === 0) return;
  const resources = stringItems(member.value).map((r) => r.value);
  if (resources.length === 0 || resources.includes('*')) return;
  // Resource types each resource may reach, per service: computed once per statement and service.
  const reachable = new Map<CatalogService, ReadonlySet<string>>();
  const typesFor = (service: CatalogService): ReadonlySet<string> => {
    let set = reachable.get(service);
    if (set === undefined) {
      set = new Set(resources.flatMap((r) => resourceTypesMatching(service, resourcePattern(r)).map((t) => t.name.toLowerCase())));
      reachable.set(service, set);
    }
    return set;
  };
  const shown = resources.length === 1 ? quote(resources[0]!) : `${resources.length} resources listed`;
  for (const { item, service, action } of actions) {
    if (action.resourceTypes.length === 0) {
      ctx.report(
        'ACTION_RESOURCE_MISMATCH',
        item,
        `${quote(item.value)} takes no specific resource (only "*"), so this statement, limited to ${shown}, never applies to it`,
      );
      continue;
    }
    const types = typesFor(service);
    if (action.resourceTypes.some((t) => types.has(t.name.toLowerCase()))) continue;
    const expected = action.resourceTypes.map((t) => t.name).join(', ');
    ctx.report(
      'ACTION_RESOURCE_MISMATCH',
      item,
      `${quote(item.value)} acts on resources of type ${expected}; none of ${shown} can be one, so this statement never applies to it`,
    );
  }
}

/** Warns on service condition keys that their (known) service does not define. */
function checkConditionKeys(ctx: ValidationContext, catalog: CatalogView, st: StatementView): void {
  for (const entry of conditionEntries(st)) {
    const key = entry.keyMember.key;
    const colon = key.indexOf(':');
    if (colon < 1 || key.includes('${')) continue;
    const prefix = key.slice(0, colon);
    if (prefix.toLowerCase() === 'aws') continue; // global keys: not a service's
    const service = catalog.service(prefix);
    if (service === undefined || conditionKeyOf(service, key) !== undefined) continue;
    const names = [...service.conditionKeys.values()].map((k) => k.name);
    ctx.report(
      'INVALID_SERVICE_CONDITION_KEY',
      { path: entry.keyMember.value.path, start: entry.keyMember.keyStart },
      `condition key ${quote(key)} is not a condition key of ${service.prefix} (${service.name})${suggestion(key, names)}`,
    );
  }
}

/** The catalog check: a no-op without a catalog view. */
export const catalogCheck: PolicyCheck = {
  name: 'catalog',
  run(ctx) {
    const catalog = ctx.catalog;
    if (catalog === undefined) return;
    for (const st of ctx.statements) {
      const action = st.member('Action');
      const notAction = st.member('NotAction');
      if (notAction !== undefined) checkActions(ctx, catalog, 'NotAction', stringItems(notAction.value));
      if (action !== undefined) {
        const known = checkActions(ctx, catalog, 'Action', stringItems(action.value));
        checkResources(ctx, st, known);
      }
      checkConditionKeys(ctx, catalog, st);
    }
  },
};
