/**
 * Properties of the catalog's pattern logic and check, over real AWS ARN formats:
 * - an ARN built from a format (placeholders filled with plausible values) fits that format;
 * - a policy resource made from such an ARN by wildcarding parts of it may fit the format
 *   (patternMayFitFormat never misses an overlap, so ACTION_RESOURCE_MISMATCH never warns wrongly);
 * - parsePolicy with a catalog never fails (VALIDATION_FAILED) on policy-shaped input.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsService, awsServicePrefixes } from '../../../src/iam/services/aws-services.ts';
import { catalogViewOf, parsePolicy, patternMayFitFormat, resourceTypeOfArn, type CatalogService, type CatalogView } from '../../../src/policy/validate/index.ts';

const PREFIXES = ['s3', 'dynamodb', 'iam', 'logs', 'sqs', 'lambda', 'ec2', 'kms'];
let services: CatalogService[] = [];
let catalog: CatalogView;
let formats: string[] = [];
beforeAll(async () => {
  services = (await Promise.all(PREFIXES.map((p) => awsService(p)))) as CatalogService[];
  catalog = catalogViewOf(services, await awsServicePrefixes());
  formats = services.flatMap((s) => [...s.resourceTypes.values()].flatMap((t) => t.arnPatterns));
});

/** Values a placeholder may take: plain names, and for the last one paths too. */
const segment = fc.stringMatching(/^[a-z0-9][a-z0-9_.-]{0,8}$/);
const tail = fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));

/** An ARN of `format` with each placeholder filled (`${Partition}` as aws, the last one maybe a path). */
function arnOf(format: string, values: readonly string[], last: string): string {
  let i = 0;
  const placeholders = format.match(/\$\{[^}]*\}/g) ?? [];
  return format.replace(/\$\{[^}]*\}/g, (name) => {
    const index = i++;
    if (name === '${Partition}') return 'aws';
    if (name === '${Region}') return 'us-east-1';
    if (name === '${Account}') return '111122223333';
    return index === placeholders.length - 1 && format.endsWith(name) ? last : values[index % values.length]!;
  });
}

/** Replaces chosen spans of `arn` with `*` and chosen characters with `?`. */
function wildcarded(arn: string, cuts: readonly { at: number; length: number; star: boolean }[]): string {
  let text = arn;
  for (const cut of cuts) {
    const at = cut.at % (text.length + 1);
    // A `?` stands for one character of the ARN, never for a `*` already placed.
    if (cut.star) text = `${text.slice(0, at)}*${text.slice(at + cut.length)}`;
    else if (at < text.length && text[at] !== '*') text = `${text.slice(0, at)}?${text.slice(at + 1)}`;
  }
  return text;
}

describe('ARN formats', () => {
  it('an ARN built from a format fits it, and a wildcarded one may fit it', () => {
    fc.assert(
      fc.property(
        fc.nat(),
        fc.array(segment, { minLength: 1, maxLength: 4 }),
        tail,
        fc.array(fc.record({ at: fc.nat(200), length: fc.nat(12), star: fc.boolean() }), { maxLength: 3 }),
        (pick, values, last, cuts) => {
          const format = formats[pick % formats.length]!;
          const arn = arnOf(format, values, last);
          expect(patternMayFitFormat(arn, format), `${arn} ~ ${format}`).toBe(true);
          const pattern = wildcarded(arn, cuts);
          expect(patternMayFitFormat(pattern, format), `${pattern} ~ ${format}`).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('every built ARN has a resource type of its service', () => {
    fc.assert(
      fc.property(fc.nat(), fc.array(segment, { minLength: 1, maxLength: 4 }), tail, (pick, values, last) => {
        const service = services[pick % services.length]!;
        // Formats that name their service (Portcullis's any-service `registered-resource` names none).
        const types = [...service.resourceTypes.values()].filter((t) => !t.arnPatterns[0]!.split(':')[2]!.startsWith('${'));
        const type = types[Math.floor(pick / services.length) % types.length]!;
        const arn = arnOf(type.arnPatterns[0]!, values, last);
        expect(resourceTypeOfArn(service, arn), arn).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });
});

describe('parsePolicy with a catalog', () => {
  const action = fc.oneof(
    fc.constantFrom('*', 's3:*', 's3:Get*', 's3:GetObjekt', 'dynamodb:Query', 'iam:PassRole', 'nosuch:Thing', 'ec2:?escribe*', 'kms:Decrypt'),
    fc.tuple(fc.constantFrom(...PREFIXES, 'todo', 'S3'), fc.stringMatching(/^[A-Za-z*?]{1,12}$/)).map(([p, n]) => `${p}:${n}`),
  );
  const resource = fc.oneof(
    fc.constantFrom('*', 'arn:aws:s3:::b/*', 'arn:aws:s3:::b', 'arn:aws:dynamodb:*:*:table/T', 'arn:aws:iam::111122223333:user/${aws:username}', 'arn:*:*:*:*:*'),
    fc.stringMatching(/^arn:aws:[a-z0-9*?]{1,8}:[a-z0-9*-]{0,9}:[0-9*]{0,12}:[a-zA-Z0-9/*?:${}.-]{1,30}$/),
  );
  const key = fc.constantFrom('s3:prefix', 's3:prefx', 'aws:username', 'dynamodb:LeadingKeys', 's3:ExistingObjectTag/x', 'kms:ViaService', 'nosuch:key', 'S3:Prefix');
  it('never fails validation itself, and only warns', () => {
    fc.assert(
      fc.property(fc.array(action, { minLength: 1, maxLength: 4 }), fc.array(resource, { minLength: 1, maxLength: 3 }), key, (actions, resources, conditionKey) => {
        const text = JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: actions, Resource: resources, Condition: { StringLike: { [conditionKey]: 'v' } } }],
        });
        const withCatalog = parsePolicy(text, 'identity', { catalog });
        const without = parsePolicy(text, 'identity');
        expect(withCatalog.findings.map((f) => f.issueCode)).not.toContain('VALIDATION_FAILED');
        // The catalog adds warnings only: the same errors, and a document exactly when there was one.
        const errors = (list: typeof without.findings) => list.filter((f) => f.findingType === 'ERROR').map((f) => f.issueCode);
        expect(errors(withCatalog.findings)).toEqual(errors(without.findings));
        expect(withCatalog.document === undefined).toBe(without.document === undefined);
      }),
      { numRuns: 300 },
    );
  });
});
