/**
 * axe-core over every page of the console, signed in as root over the demo organisation, at
 * desktop and phone widths: no serious or critical violation anywhere (support/accessibility.ts).
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { CHROMIUM_PATH, chromiumAvailable } from './support/browser.ts';
import { openDashboard, ROOT_PASSWORD, type Dashboard } from './support/dashboard.ts';

if (!chromiumAvailable) console.warn(`accessibility tests skipped: ${CHROMIUM_PATH} is not installed`);

/** Every page, with a demo entity for each detail page. */
const PAGES = [
  '/',
  '/users',
  '/users/alice',
  '/users/alice?tab=what-can',
  '/users/alice?tab=access-advisor',
  '/users/alice?tab=generate-policy',
  '/users/alice?tab=escalation',
  '/groups',
  '/groups/Admins',
  '/roles',
  '/roles/DeployRole',
  '/roles/DeployRole?tab=escalation',
  '/policies',
  '/policies/new',
  `/policies/${encodeURIComponent('arn:aws:iam::aws:policy/ReadOnlyAccess')}`,
  '/resources',
  '/explorer',
  '/activity',
  '/security-credentials',
  '/switch-role',
  '/account-data',
  '/unused-access',
  '/organization',
  '/organization?tab=policies',
  '/organization?node=111122223333',
  '/no-such-page',
];

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describe.skipIf(!chromiumAvailable)('accessibility of every console page (axe-core)', { timeout: 180_000 }, () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await openDashboard();
  }, 180_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  // First, before anyone has signed in in this browser profile.
  it('the sign-in page at desktop and phone widths', async () => {
    for (const size of WIDTHS) {
      const page = await dashboard.browser.newPage(size);
      await page.goto(dashboard.server.url);
      await page.getByRole('heading', { name: 'Sign in to Portcullis' }).waitFor();
      await expectAccessible(page, `sign-in (${size.name})`);
      await page.close();
    }
  });

  for (const size of WIDTHS) {
    it(`every signed-in page at ${size.name} width`, async () => {
      const page = await dashboard.browser.newPage(size);
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      for (const path of PAGES) {
        await page.goto(`${dashboard.server.url}${path}`);
        await page.locator('h1').first().waitFor();
        await page.waitForLoadState('networkidle');
        await expectAccessible(page, `${path} (${size.name})`);
      }
      await page.close();
    });
  }
});
