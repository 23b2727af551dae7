/**
 * GraphiQL works on a closed network: its page and code come from the server itself (the
 * installed @graphql-yoga/render-graphiql bundle), never from a CDN; at desktop and phone widths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { openDashboard } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describe.skipIf(!chromiumAvailable)('GraphiQL', { timeout: 120_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  for (const size of WIDTHS) {
    it(`renders with no request beyond the server (${size.name})`, async () => {
      const origin = new URL(dashboard.server.url).origin;
      const elsewhere: string[] = [];
      const page = await dashboard.browser.newPage(size);
      // Anything not for the server is refused and remembered, so a CDN dependency fails the test
      // even on a machine whose network would have answered.
      await page.route('**/*', async (route) => {
        const url = route.request().url();
        if (url.startsWith(`${origin}/`) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
        elsewhere.push(url);
        return route.abort();
      });
      await page.goto(`${origin}/graphql`);
      await page.locator('.graphiql-container').first().waitFor();
      await page.locator('.graphiql-query-editor').first().waitFor();
      expect(await page.title()).not.toMatch(/__TITLE__|Loading/);
      expect(elsewhere).toEqual([]);
      await page.close();
    });
  }
});
