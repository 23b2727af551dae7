/**
 * Lints the deployment files without a Docker engine: the Dockerfile's instructions (pinned
 * base, npm ci, dashboard build, non-root user, health check on /healthz, EXPOSE matching PORT)
 * and compose.yaml (two instances on one PostgreSQL and Redis behind a WebSocket-capable nginx,
 * pinned images, health-gated start order, escaped nginx variables).
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = new URL('../../', import.meta.url);

/** Dockerfile instructions with continuation lines joined and comments dropped. */
async function dockerfile(): Promise<Array<{ op: string; args: string }>> {
  const text = await readFile(new URL('Dockerfile', root), 'utf8');
  const logical = text.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  return logical.map((line) => {
    const space = line.search(/\s/);
    return { op: line.slice(0, space).toUpperCase(), args: line.slice(space + 1).trim() };
  });
}

/** A pinned image reference: an explicit tag starting with a full version, never `latest`. */
const PINNED = /^[a-z0-9./-]+:\d+\.\d+(\.\d+)?[\w.-]*(@sha256:[a-f0-9]{64})?$/;

describe('Dockerfile', () => {
  it('builds from a pinned node 20 bookworm-slim image with npm ci, the dashboard and the server build', async () => {
    const steps = await dockerfile();
    const froms = steps.filter((s) => s.op === 'FROM').map((s) => s.args.split(/\s+/)[0]!);
    expect(froms.length).toBeGreaterThan(0);
    for (const image of froms) {
      expect(image).toMatch(PINNED);
      expect(image).toMatch(/^node:20\.\d+\.\d+-bookworm-slim$/);
    }
    const runs = steps.filter((s) => s.op === 'RUN').map((s) => s.args).join('\n');
    expect(runs).toMatch(/\bnpm ci\b/);
    expect(runs).toMatch(/npm run build:web/);
    expect(runs).toMatch(/npm run build:server/);
  });

  it('runs the final stage as a non-root user with a /healthz health check and EXPOSE matching PORT', async () => {
    const steps = await dockerfile();
    const lastFrom = steps.map((s) => s.op).lastIndexOf('FROM');
    const final = steps.slice(lastFrom);
    const user = final.filter((s) => s.op === 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const health = final.find((s) => s.op === 'HEALTHCHECK')?.args ?? '';
    expect(health).toMatch(/\/healthz/);
    expect(health).toMatch(/--interval=\d+s/);
    const env = final.filter((s) => s.op === 'ENV').map((s) => s.args).join(' ');
    const port = /\bPORT=(\d+)/.exec(env)?.[1];
    expect(port).toBeDefined();
    const exposed = final.filter((s) => s.op === 'EXPOSE').flatMap((s) => s.args.split(/\s+/)).map((p) => p.replace(/\/tcp$/, ''));
    expect(exposed).toEqual([port]);
    // Exec form, so the server process receives SIGTERM directly.
    const cmd = final.filter((s) => s.op === 'CMD').at(-1)?.args ?? '';
    expect(() => JSON.parse(cmd)).not.toThrow();
    // The compiled server, with no TypeScript loader (what `npm start` runs).
    expect(JSON.parse(cmd)).toEqual(['node', 'dist/server/main.js']);
  });

  it('has a .dockerignore keeping dependencies, data and git out of the context', async () => {
    const ignored = (await readFile(new URL('.dockerignore', root), 'utf8')).split('\n').map((line) => line.trim());
    for (const entry of ['node_modules', '.data', '.git', 'dist', '.env']) expect(ignored).toContain(entry);
  });
});

interface ComposeService {
  image?: string;
  build?: unknown;
  environment?: Record<string, string>;
  expose?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  configs?: Array<{ source: string; target: string }>;
}

describe('compose.yaml', () => {
  const load = async () => parse(await readFile(new URL('compose.yaml', root), 'utf8')) as { services: Record<string, ComposeService>; configs: Record<string, { content: string }>; volumes: Record<string, unknown> };

  it('runs two instances on one PostgreSQL and Redis, each health-gated', async () => {
    const compose = await load();
    const names = Object.keys(compose.services);
    expect(names).toEqual(expect.arrayContaining(['postgres', 'redis', 'portcullis-1', 'portcullis-2', 'proxy']));
    for (const name of ['portcullis-1', 'portcullis-2']) {
      const service = compose.services[name]!;
      const env = service.environment ?? {};
      expect(new URL(env['DATABASE_URL']!.replace('${POSTGRES_PASSWORD}', 'x')).hostname).toBe('postgres');
      expect(env['REDIS_URL']).toBe('redis://redis:6379');
      expect(env['NODE_ENV']).toBe('production');
      expect(env['PORTCULLIS_SECRETS_KEY']).toMatch(/^\$\{PORTCULLIS_SECRETS_KEY:\?/);
      expect(service.expose).toEqual([env['PORT']]);
      expect(service.depends_on?.['postgres']?.condition).toBe('service_healthy');
    }
    expect(compose.services['portcullis-1']!.build).toBe('.');
    expect(compose.services['portcullis-2']!.image).toBe(compose.services['portcullis-1']!.image);
    expect(compose.services['postgres']!.healthcheck?.test.join(' ')).toMatch(/pg_isready/);
    expect(compose.services['redis']!.healthcheck?.test.join(' ')).toMatch(/redis-cli ping/);
  });

  it('pins every pulled image', async () => {
    const compose = await load();
    for (const [name, service] of Object.entries(compose.services)) {
      if (service.build !== undefined || service.image === 'portcullis:local') continue;
      expect(service.image, name).toMatch(PINNED);
    }
  });

  it('balances both instances behind nginx with WebSocket upgrade, nginx variables escaped from compose', async () => {
    const compose = await load();
    const proxy = compose.services['proxy']!;
    expect(proxy.ports).toEqual(['4000:80']);
    expect(proxy.depends_on?.['portcullis-1']?.condition).toBe('service_healthy');
    expect(proxy.depends_on?.['portcullis-2']?.condition).toBe('service_healthy');
    const source = proxy.configs?.[0]?.source ?? '';
    const conf = compose.configs[source]?.content ?? '';
    const port = compose.services['portcullis-1']!.environment?.['PORT'];
    expect(conf).toMatch(new RegExp(`server portcullis-1:${port}\\b`));
    expect(conf).toMatch(new RegExp(`server portcullis-2:${port}\\b`));
    expect(conf).toMatch(/proxy_http_version 1\.1;/);
    expect(conf).toMatch(/proxy_set_header Upgrade \$\$http_upgrade;/);
    expect(conf).toMatch(/proxy_set_header Connection \$\$connection_upgrade;/);
    // Every nginx variable is written `$$name`; a bare `$name` would be interpolated by compose.
    expect(conf.replace(/\$\$/g, '')).not.toMatch(/\$/);
    const open = (conf.match(/\{/g) ?? []).length;
    expect((conf.match(/\}/g) ?? []).length).toBe(open);
  });
});
