/**
 * The dashboard end to end: a real server (fresh database, built dist/web) driven by headless
 * Chromium. Each test acts through the UI and checks the outcome through the API as well.
 * Screenshots for the README are saved to docs/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumAvailable } from './support/browser.ts';
import { openDashboard, ROOT_PASSWORD } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';

if (!chromiumAvailable) {
  console.warn(`dashboard browser tests skipped: ${CHROMIUM_PATH} is not installed (apt-get install chromium; .ci/run installs it)`);
}

describe.skipIf(!chromiumAvailable)('dashboard in Chromium', () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  it('serves the dashboard at / and deep links, with immutable caching for hashed assets', async () => {
    const index = await fetch(dashboard.server.url, { headers: { accept: 'text/html' } });
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${dashboard.server.url}${script}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const deepLink = await fetch(`${dashboard.server.url}/users/alice.smith`, { headers: { accept: 'text/html' } });
    expect(deepLink.status).toBe(200);
    expect(await deepLink.text()).toBe(html);
    // Clients that do not ask for a page keep the API's JSON 404, and traversal finds nothing.
    expect((await fetch(`${dashboard.server.url}/assets/missing.js`, { headers: { accept: 'text/html' } })).status).toBe(404);
    expect((await fetch(`${dashboard.server.url}/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('refuses a wrong password with the API explanation, then signs root in', async () => {
    const page = await dashboard.browser.newPage();
    await page.goto(dashboard.server.url);
    await expect(page.getByRole('heading', { name: 'Sign in to Portcullis' }).isVisible()).resolves.toBe(true);
    await page.getByLabel('Account ID or alias', { exact: true }).fill('111122223333');
    await page.getByLabel('User name', { exact: true }).fill('root');
    await page.getByLabel('Password', { exact: true }).fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/sign-in failed/i);
    await dashboard.screenshot(page, 'sign-in');

    await page.getByLabel('Password', { exact: true }).fill(ROOT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.getByText('arn:aws:iam::111122223333:root').count()).toBeGreaterThan(0);
    await page.close();
  });
});
