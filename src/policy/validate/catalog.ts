/**
 * The service catalog as the pure engine sees it: services (AWS's, from the Service Authorization
 * Reference dataset, and an account's own), their actions, resource types with ARN formats, and
 * condition keys. Loading is someone else's job (src/iam/services); this file only describes a
 * catalog and answers questions about it, so validation stays a pure function of its inputs.
 */

/** How AWS classifies what an action does (the Reference's "Access level" column). */
export type AccessLevel = 'Read' | 'Write' | 'List' | 'Tagging' | 'Permissions management';

/** The access levels, in the Reference's order. */
export const ACCESS_LEVELS: readonly AccessLevel[] = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'];

/** One action of a service. */
export interface CatalogAction {
  readonly name: string;
  readonly accessLevel: AccessLevel;
  /** The resource types the action acts on; empty when it only takes `*`. */
  readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
  readonly conditionKeys: readonly string[];
}

/** One resource type of a service, with the ARN format(s) its resources have. */
export interface CatalogResourceType {
  readonly name: string;
  /** ARN formats with `${Placeholder}` parts, e.g. `arn:${Partition}:s3:::${BucketName}/${ObjectName}`. */
  readonly arnPatterns: readonly string[];
  readonly conditionKeys: readonly string[];
}

/** One condition key of a service; `name` may hold a `${TagKey}`-style placeholder. */
export interface CatalogConditionKey {
  readonly name: string;
  /** The Reference's type: String, ArrayOfString, ARN, Numeric, Bool, Date, IPAddress, … */
  readonly type: string;
}

/** A service: its prefix (`s3`, `todo`), display name and definitions. */
export interface CatalogService {
  readonly prefix: string;
  readonly name: string;
  readonly origin: 'aws' | 'custom';
  /** 1 for AWS services (the dataset's version is the package's); a custom service's stored version. */
  readonly version: number;
  /** keyed by lower-case name */
  readonly actions: ReadonlyMap<string, CatalogAction>;
  /** keyed by lower-case name */
  readonly resourceTypes: ReadonlyMap<string, CatalogResourceType>;
  /** keyed by lower-case name */
  readonly conditionKeys: ReadonlyMap<string, CatalogConditionKey>;
}

/**
 * What a validation run may ask of the catalog: the services it was loaded for, and every prefix
 * the account knows (AWS's and its own), for "did you mean" on an unknown prefix.
 */
export interface CatalogView {
  /** The service with this prefix (any case), when it is known and was loaded. */
  service(prefix: string): CatalogService | undefined;
  /** Every known prefix, sorted. */
  readonly prefixes: readonly string[];
}

/** The definition of a service as written (a custom service's stored form, or an AWS service read from the dataset). */
export interface ServiceDefinition {
  readonly actions: readonly CatalogAction[];
  readonly resourceTypes: readonly CatalogResourceType[];
  readonly conditionKeys: readonly CatalogConditionKey[];
}

/** Builds a `CatalogService` from its definition; names are keyed lower-case, as IAM compares them. */
export function catalogService(
  meta: { readonly prefix: string; readonly name: string; readonly origin: 'aws' | 'custom'; readonly version: number },
  definition: ServiceDefinition,
): CatalogService {
  return {
    ...meta,
    actions: new Map(definition.actions.map((a) => [a.name.toLowerCase(), a])),
    resourceTypes: new Map(definition.resourceTypes.map((r) => [r.name.toLowerCase(), r])),
    conditionKeys: new Map(definition.conditionKeys.map((k) => [k.name.toLowerCase(), k])),
  };
}

/**
 * A view over `services` (already loaded), knowing `prefixes` in all. When two services share a
 * prefix the first one given wins (AWS's before custom ones: a dataset upgrade that adds a prefix an
 * account used for its own service makes the AWS definition the one validation sees).
 */
export function catalogViewOf(services: Iterable<CatalogService>, prefixes: Iterable<string>): CatalogView {
  const byPrefix = new Map<string, CatalogService>();
  for (const service of services) {
    const key = service.prefix.toLowerCase();
    if (!byPrefix.has(key)) byPrefix.set(key, service);
  }
  const all = [...new Set([...prefixes].map((p) => p.toLowerCase()))].sort();
  return { service: (prefix) => byPrefix.get(prefix.toLowerCase()), prefixes: all };
}

// ---------------------------------------------------------------------------------------------
// ARN formats

/** One piece of an ARN format: literal text, or a placeholder standing for characters of a class. */
type FormatToken =
  | { readonly kind: 'literal'; readonly text: string }
  /** `excluded`: characters the placeholder cannot contain; null for the last one of the resource part (anything). */
  | { readonly kind: 'placeholder'; readonly excluded: string | null };

/** A compiled ARN format: its tokens, a regular expression for concrete ARNs, and how specific it is. */
interface CompiledFormat {
  readonly tokens: readonly FormatToken[];
  readonly regex: RegExp;
  /** Literal characters in the format: with several fitting formats, the most specific wins. */
  readonly literalLength: number;
  readonly placeholders: number;
}

const PLACEHOLDER = /\$\{[^}]*\}/g;

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/**
 * Compiles an ARN format. How placeholders match follows how AWS writes its formats: in the
 * partition, service, region and account fields a placeholder is the whole field (no `:`); in the
 * resource part a placeholder ends at the delimiter that follows it (`${TableName}/index/…` has no
 * `/`, `${LogGroupName}:log-stream:…` has no `:` but may have `/`), and the last placeholder of the
 * format takes the rest (`${ObjectName}` holds `/`, as does `${UserNameWithPath}`).
 */
function compileFormat(format: string): CompiledFormat {
  // The resource part starts after the fifth colon of the format.
  let colons = 0;
  let resourceStart = format.length;
  for (let i = 0; i < format.length; i++) {
    if (format[i] === ':' && ++colons === 5) {
      resourceStart = i + 1;
      break;
    }
  }
  const tokens: FormatToken[] = [];
  let last = 0;
  const matches = [...format.matchAll(PLACEHOLDER)];
  matches.forEach((match, index) => {
    const at = match.index;
    if (at > last) tokens.push({ kind: 'literal', text: format.slice(last, at) });
    const end = at + match[0].length;
    const next = format[end];
    const isFinal = index === matches.length - 1 && end === format.length;
    let excluded: string | null;
    if (at < resourceStart) excluded = ':';
    else if (isFinal) excluded = null;
    else excluded = next === undefined || next === ':' ? ':' : `:${next}`;
    tokens.push({ kind: 'placeholder', excluded });
    last = end;
  });
  if (last < format.length) tokens.push({ kind: 'literal', text: format.slice(last) });
  const source = tokens
    .map((t) => (t.kind === 'literal' ? escapeRegex(t.text) : t.excluded === null ? '.+' : `[^${escapeRegex(t.excluded)}]+`))
    .join('');
  const literalLength = tokens.reduce((n, t) => n + (t.kind === 'literal' ? t.text.length : 0), 0);
  return { tokens, regex: new RegExp(`^${source}$`, 's'), literalLength, placeholders: matches.length };
}

/** Compiled formats, kept per format text: catalogs are long-lived and share formats. */
const compiledFormats = new Map<string, CompiledFormat>();
const COMPILED_FORMATS_MAX = 20_000;

function compiled(format: string): CompiledFormat {
  let result = compiledFormats.get(format);
  if (result === undefined) {
    result = compileFormat(format);
    // Bounded: custom services can bring many formats; past the bound each call compiles afresh.
    if (compiledFormats.size < COMPILED_FORMATS_MAX) compiledFormats.set(format, result);
  }
  return result;
}

/** Prefers the more specific of two fitting formats: more literal text, then more placeholders. */
function moreSpecific(a: CompiledFormat, b: CompiledFormat): boolean {
  return a.literalLength !== b.literalLength ? a.literalLength > b.literalLength : a.placeholders > b.placeholders;
}

/**
 * The resource type of `service` whose ARN format `arn` fits (placeholders like ${Partition},
 * ${Region}, ${BucketName} match one segment each as AWS's formats intend). When several fit
 * (`table/${TableName}` and `table/${TableName}/index/${IndexName}`), the most specific wins.
 */
export function resourceTypeOfArn(service: CatalogService, arn: string): CatalogResourceType | undefined {
  let best: { type: CatalogResourceType; format: CompiledFormat } | undefined;
  for (const type of service.resourceTypes.values()) {
    for (const text of type.arnPatterns) {
      const format = compiled(text);
      if (!format.regex.test(arn)) continue;
      if (best === undefined || moreSpecific(format, best.format)) best = { type, format };
    }
  }
  return best?.type;
}

/**
 * True when some ARN both matches the policy resource `pattern` (with IAM's `*` and `?`
 * wildcards) and fits `format`. A product of the two patterns walked breadth-first: at most
 * (pattern length + 1) × (format tokens + 1) × 2 states.
 */
export function patternMayFitFormat(pattern: string, format: string): boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) return compiled(format).regex.test(pattern);
  const tokens = compiled(format).tokens.flatMap((t): FormatToken[] =>
    t.kind === 'literal' ? [...t.text].map((c) => ({ kind: 'literal', text: c }) as const) : [t],
  );
  const n = pattern.length;
  const m = tokens.length;
  // State: i characters of the pattern read, j tokens of the format done, `inside`: placeholder j has at least one character.
  const seen = new Uint8Array((n + 1) * (m + 1) * 2);
  const stack: number[] = [];
  const push = (i: number, j: number, inside: number): void => {
    const key = (i * (m + 1) + j) * 2 + inside;
    if (seen[key] === 0) {
      seen[key] = 1;
      stack.push(i, j, inside);
    }
  };
  const allows = (token: FormatToken, c: string): boolean =>
    token.kind === 'literal' ? token.text === c : token.excluded === null || !token.excluded.includes(c);
  push(0, 0, 0);
  while (stack.length > 0) {
    const inside = stack.pop()!;
    const j = stack.pop()!;
    const i = stack.pop()!;
    if (i === n && j === m) return true;
    const token = tokens[j];
    // A placeholder that has a character may end here.
    if (inside === 1) push(i, j + 1, 0);
    if (i === n) continue;
    const c = pattern[i]!;
    if (c === '*') {
      push(i + 1, j, inside); // the star matches nothing more
      if (token === undefined) continue;
      if (token.kind === 'literal') push(i, j + 1, 0); // the star eats this literal character
      else push(i, j, 1); // the star eats one character the placeholder allows
    } else if (token !== undefined) {
      // `?` is any one character; every class has one the placeholder allows.
      const fits = c === '?' || allows(token, c);
      if (!fits) continue;
      if (token.kind === 'literal') push(i + 1, j + 1, 0);
      else push(i + 1, j, 1);
    }
  }
  return false;
}

/**
 * The resource types of `service` that an ARN matching the policy resource `pattern` may have: for
 * an ARN without wildcards its one type (`resourceTypeOfArn`: `bucket/key` is an object, not a
 * bucket), for a pattern every type some matching ARN could fit.
 */
export function resourceTypesMatching(service: CatalogService, pattern: string): CatalogResourceType[] {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    const type = resourceTypeOfArn(service, pattern);
    return type === undefined ? [] : [type];
  }
  const types: CatalogResourceType[] = [];
  for (const type of service.resourceTypes.values()) {
    if (type.arnPatterns.some((format) => patternMayFitFormat(pattern, format))) types.push(type);
  }
  return types;
}

// ---------------------------------------------------------------------------------------------
// Condition keys

/** A placeholder in a condition key's name: `${TagKey}` (most services) or `<key>` (S3's object tags). */
const KEY_PLACEHOLDER = /\$\{[^}]*\}|<[^>]*>/g;

/** Per service, its condition keys with placeholders as expressions; built on first use. */
const placeholderKeys = new WeakMap<CatalogService, readonly { readonly regex: RegExp; readonly key: CatalogConditionKey }[]>();

function keysWithPlaceholders(service: CatalogService): readonly { readonly regex: RegExp; readonly key: CatalogConditionKey }[] {
  let list = placeholderKeys.get(service);
  if (list === undefined) {
    list = [...service.conditionKeys.entries()]
      .filter(([name]) => name.search(KEY_PLACEHOLDER) >= 0)
      .map(([name, key]) => {
        const source = name
          .split(KEY_PLACEHOLDER)
          .map((part) => escapeRegex(part))
          .join('.+');
        return { regex: new RegExp(`^${source}$`, 's'), key };
      });
    placeholderKeys.set(service, list);
  }
  return list;
}

/**
 * The condition key of `service` that `key` names (any case), including keys with a placeholder
 * (`s3:ExistingObjectTag/<key>` names `s3:ExistingObjectTag/team`).
 */
export function conditionKeyOf(service: CatalogService, key: string): CatalogConditionKey | undefined {
  const folded = key.toLowerCase();
  return service.conditionKeys.get(folded) ?? keysWithPlaceholders(service).find((k) => k.regex.test(folded))?.key;
}
