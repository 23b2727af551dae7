/**
 * Live updates survive a server restart: the activity page says it is reconnecting while the
 * server is down, then resumes after the last revision it saw — nothing lost, nothing repeated.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { openDashboard, ROOT_PASSWORD } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';

// Real browser, real server: generous per-test time for a busy two-core CI machine.
describe.skipIf(!chromiumAvailable)('dashboard live updates across a server restart', { timeout: 120_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  it('shows reconnecting while the server is down and resumes the activity stream without gaps or repeats', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.locator('[data-live-status="connected"]').waitFor();
    await dashboard.root('mutation { createUser(input: { userName: "before-restart" }) { __typename } }');
    const rows = page.getByRole('table', { name: 'Changes, newest first' }).getByRole('row');
    await rows.filter({ hasText: 'user/before-restart' }).waitFor();

    const restarted = dashboard.restart();
    await page.locator('[data-live-status="reconnecting"]').waitFor();
    expect(await page.getByText('Reconnecting…').isVisible()).toBe(true);
    await restarted;
    // A write right after the restart, possibly before the page has reconnected: resuming after
    // the last revision seen must still deliver it.
    await dashboard.root('mutation { createUser(input: { userName: "after-restart" }) { __typename } }');
    await page.locator('[data-live-status="connected"]').waitFor({ timeout: 45_000 });
    await rows.filter({ hasText: 'user/after-restart' }).waitFor();

    const revisions = (await rows.allTextContents()).slice(1).map((text) => /^\d+/.exec(text)?.[0]);
    expect(new Set(revisions).size).toBe(revisions.length);
    const numbers = revisions.map(Number);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(await rows.filter({ hasText: 'user/before-restart' }).count()).toBe(1);
    await page.close();
    expect(dashboard.browser.consoleErrors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|status of 503/.test(e))).toEqual([]);
  });
});
