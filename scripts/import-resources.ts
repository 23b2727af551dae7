/**
 * Imports a JSON-lines file of resources of any size into a running Portcullis
 * (`npm run import:resources -- <file.jsonl>`), streaming it through the `importResources`
 * mutation over HTTP in chunks: at most 10,000 resources (the mutation's limit) and at most
 * IMPORT_MAX_BODY_BYTES of request body (the server refuses bodies over MAX_BODY_BYTES, 1 MiB by
 * default). Each chunk is all or nothing; chunks before a failing one stay imported, and a re-run
 * of the same file is harmless (an import replaces resources the account already has).
 *
 * One resource per line: {"resourceArn": "...", "resourceType"?: "...", "tags"?: [{"key","value"}] or
 * {"key": "value"}, "resourcePolicy"?: "<JSON text>" or {policy object}}. Blank lines are skipped.
 *
 * Environment: PORTCULLIS_URL (default http://localhost:4000/graphql); the credential as
 * PORTCULLIS_ACCESS_KEY=ACCESS_KEY_ID:SECRET (Basic) or PORTCULLIS_SESSION_TOKEN (Bearer);
 * IMPORT_CHUNK_SIZE (1 to 10,000, default 10,000); IMPORT_MAX_BODY_BYTES (default 1,000,000).
 * Progress goes to standard output; the first error, with its line number, to standard error, and
 * the exit status is then 1.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

const MAX_PER_CALL = 10_000;

const MUTATION = `mutation ($input: ImportResourcesInput!) {
  importResources(input: $input) {
    __typename
    ... on ImportResourcesSuccess { registeredCount updatedCount revision }
    ... on ResultError { code message }
    ... on ValidationError { field rule }
    ... on MalformedPolicyDocument { findings { issueCode message line column } }
    ... on AccessDenied { action resource }
  }
}`;

/** One resource as the mutation takes it. */
interface ResourceInput {
  resourceArn: string;
  resourceType?: string;
  tags?: Array<{ key: string; value: string }>;
  resourcePolicy?: string;
}

/** A failure tied to a line of the file. */
class LineError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** The resource on `text`, line `line`; LineError when it is not one. */
function parseLine(text: string, line: number): ResourceInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new LineError(line, `not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new LineError(line, 'expected a JSON object with "resourceArn"');
  const item = value as Record<string, unknown>;
  if (typeof item['resourceArn'] !== 'string') throw new LineError(line, '"resourceArn" must be a string');
  const resource: ResourceInput = { resourceArn: item['resourceArn'] };
  if (item['resourceType'] != null) {
    if (typeof item['resourceType'] !== 'string') throw new LineError(line, '"resourceType" must be a string');
    resource.resourceType = item['resourceType'];
  }
  const tags = item['tags'];
  if (Array.isArray(tags)) {
    resource.tags = tags.map((tag, i) => {
      const t = tag as Record<string, unknown> | null;
      if (t === null || typeof t['key'] !== 'string' || typeof t['value'] !== 'string') throw new LineError(line, `"tags[${i}]" must be {"key": string, "value": string}`);
      return { key: t['key'], value: t['value'] };
    });
  } else if (tags != null && typeof tags === 'object') {
    resource.tags = Object.entries(tags).map(([key, v]) => {
      if (typeof v !== 'string') throw new LineError(line, `the value of tag ${JSON.stringify(key)} must be a string`);
      return { key, value: v };
    });
  } else if (tags != null) {
    throw new LineError(line, '"tags" must be a list of {"key", "value"} or an object of strings');
  }
  const policy = item['resourcePolicy'];
  if (typeof policy === 'string') resource.resourcePolicy = policy;
  else if (policy != null && typeof policy === 'object') resource.resourcePolicy = JSON.stringify(policy);
  else if (policy != null) throw new LineError(line, '"resourcePolicy" must be JSON text or a policy object');
  return resource;
}

/** What the server answered for one chunk. */
type ImportAnswer = Record<string, unknown> & { __typename: string };

/** Sends one chunk; returns the success, or throws the failure tied to the line it names. */
async function send(url: string, authorization: string, chunk: readonly ResourceInput[], lines: readonly number[]): Promise<ImportAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization },
    body: JSON.stringify({ query: MUTATION, variables: { input: { resources: chunk } } }),
  });
  const body = (await response.json().catch(() => ({}))) as { data?: { importResources?: ImportAnswer | null }; errors?: Array<{ message: string }> };
  const answer = body.data?.importResources;
  if (answer == null) {
    const why = body.errors?.map((e) => e.message).join('; ') ?? `HTTP ${response.status}`;
    throw new LineError(lines[0]!, `the chunk starting here was refused: ${why}`);
  }
  if (answer.__typename === 'ImportResourcesSuccess') return answer;
  // `input.resources[i]…` names the resource that failed: point at its line.
  const field = typeof answer['field'] === 'string' ? answer['field'] : '';
  const index = /^input\.resources\[(\d+)\]/.exec(field)?.[1];
  const line = index === undefined ? lines[0]! : lines[Number(index)]!;
  const detail = answer['findings'] !== undefined ? ` ${JSON.stringify(answer['findings'])}` : '';
  const where = index === undefined && typeof answer['resource'] === 'string' ? answer['resource'] : '';
  throw new LineError(line, `${answer.__typename}: ${String(answer['message'] ?? '')}${where === '' ? '' : ` (${where})`}${detail}`);
}

/** The Authorization header from the environment. */
function authorizationFromEnv(env: NodeJS.ProcessEnv): string {
  const token = env['PORTCULLIS_SESSION_TOKEN'];
  if (token !== undefined && token !== '') return `Bearer ${token}`;
  const key = env['PORTCULLIS_ACCESS_KEY'];
  if (key === undefined || !key.includes(':')) throw new Error('set PORTCULLIS_ACCESS_KEY=ACCESS_KEY_ID:SECRET or PORTCULLIS_SESSION_TOKEN');
  return `Basic ${Buffer.from(key).toString('base64')}`;
}

/** A positive whole number from the environment, within `max`. */
function sizeFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(raw)}`);
  return value;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (file === undefined) throw new Error('usage: npm run import:resources -- <file.jsonl>');
  const env = process.env;
  const url = env['PORTCULLIS_URL'] || 'http://localhost:4000/graphql';
  const authorization = authorizationFromEnv(env);
  const chunkSize = sizeFromEnv(env, 'IMPORT_CHUNK_SIZE', MAX_PER_CALL, MAX_PER_CALL);
  const maxBytes = sizeFromEnv(env, 'IMPORT_MAX_BODY_BYTES', 1_000_000, 100 * 1024 * 1024);

  let chunk: ResourceInput[] = [];
  let lines: number[] = [];
  let bytes = 0;
  let imported = 0;
  let registered = 0;
  let updated = 0;
  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const answer = await send(url, authorization, chunk, lines);
    imported += chunk.length;
    registered += Number(answer['registeredCount']);
    updated += Number(answer['updatedCount']);
    process.stdout.write(`imported ${imported} resources through line ${lines[lines.length - 1]} (${registered} registered, ${updated} updated; revision ${String(answer['revision'])})\n`);
    chunk = [];
    lines = [];
    bytes = 0;
  };

  const reader = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let lineNumber = 0;
  // Awaiting inside the loop pauses reading while a chunk is sent: memory holds one chunk at most.
  for await (const text of reader) {
    lineNumber++;
    if (text.trim() === '') continue;
    const resource = parseLine(text, lineNumber);
    const size = Buffer.byteLength(JSON.stringify(resource)) + 1;
    if (size + MUTATION.length + 64 > maxBytes) throw new LineError(lineNumber, `one resource of ${size} bytes does not fit a request of IMPORT_MAX_BODY_BYTES=${maxBytes}`);
    if (chunk.length >= chunkSize || bytes + size + MUTATION.length + 64 > maxBytes) await flush();
    chunk.push(resource);
    lines.push(lineNumber);
    bytes += size;
  }
  await flush();
  process.stdout.write(`done: ${imported} resources from ${lineNumber} lines (${registered} registered, ${updated} updated)\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`import-resources: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
