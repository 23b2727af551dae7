/**
 * Issue 19's console bugs and sessions, in Chromium at desktop and phone widths: the session is an
 * HttpOnly cookie that a new tab shares and page scripts cannot read; the account is remembered;
 * the next user neither lands on the last user's page nor sees their watch list; a refused live
 * stream or watch list stops (no reconnect storm: at most 3 connections in 30 s of the page's
 * timers) and names the missing permission; the explorer's card follows the watch list and names
 * the group or role a policy applies through; a user without iam:ChangePassword completes a
 * forced password change.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { CHROMIUM_PATH, chromiumAvailable } from './support/browser.ts';
import { ACCOUNT_ID, openDashboard, ROOT_PASSWORD, type Dashboard } from './support/dashboard.ts';

if (!chromiumAvailable) console.warn(`console session tests skipped: ${CHROMIUM_PATH} is not installed`);

const PASSWORD = 'Plain-user-password-2026!';
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describe.skipIf(!chromiumAvailable)('console sessions and issue 19 bugs', { timeout: 150_000 }, () => {
  let dashboard: Dashboard;

  /** A user with a console password and, optionally, a managed policy. */
  const createUser = async (userName: string, options: { policyArn?: string; passwordResetRequired?: boolean } = {}): Promise<void> => {
    await dashboard.root('mutation($n: String!) { createUser(input: { userName: $n }) { __typename } }', { n: userName });
    await dashboard.root('mutation($n: String!, $p: String!, $r: Boolean) { createLoginProfile(input: { userName: $n, password: $p, passwordResetRequired: $r }) { __typename } }', {
      n: userName,
      p: PASSWORD,
      r: options.passwordResetRequired ?? false,
    });
    if (options.policyArn !== undefined) {
      await dashboard.root('mutation($n: String!, $a: String!) { attachUserPolicy(input: { userName: $n, policyArn: $a }) { __typename } }', { n: userName, a: options.policyArn });
    }
  };

  /** The session cookie as the browser holds it. */
  const sessionCookie = async (page: Page) => (await page.context().cookies(`${dashboard.server.url}/graphql`)).find((c) => c.name === 'portcullis_session');

  beforeAll(async () => {
    dashboard = await openDashboard();
    // A reader: may read the directory, but not watch changes or decisions.
    await createUser('reader', { policyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  for (const size of WIDTHS) {
    it(`keeps the session in an HttpOnly cookie that a new tab shares, and remembers the account (${size.name})`, async () => {
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      const cookie = await sessionCookie(page);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      // Page scripts see neither the cookie nor a token anywhere in storage.
      expect(await page.evaluate(() => document.cookie)).not.toContain('portcullis_session');
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
      expect(stored).not.toContain(cookie!.value);

      const tab = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await tab.goto(`${dashboard.server.url}/groups`);
      await tab.getByRole('heading', { name: 'Groups' }).waitFor();
      await tab.getByRole('table').waitFor();
      await tab.close();

      // While the revocation is on its way, Sign out cannot be pressed again: a second request
      // would carry the session being revoked and be refused (a 401 in the browser's console).
      let signOuts = 0;
      let release = (): void => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/graphql', async (route) => {
        if (route.request().postData()?.includes('mutation SignOut') === true) {
          signOuts += 1;
          await held;
        }
        await route.continue();
      });
      const signOut = page.getByRole('button', { name: 'Sign out' });
      await signOut.click();
      await expect.poll(() => signOuts).toBe(1);
      expect(await signOut.isDisabled()).toBe(true);
      await signOut.press('Enter').catch(() => undefined);
      release();
      await page.getByRole('heading', { name: 'Sign in to Portcullis' }).waitFor();
      await page.unrouteAll();
      expect(signOuts).toBe(1);
      expect(await sessionCookie(page)).toBeUndefined();
      expect(await page.getByLabel('Account ID or alias', { exact: true }).inputValue()).toBe(ACCOUNT_ID);
      await page.close();
    });

    // A different question at each width: root's watch list keeps the first.
    const watchedAction = size.name === 'desktop' ? 'iam:GetUser' : 'iam:ListUserTags';
    it(`never shows one user's watch list, or last page, to the next user (${size.name})`, async () => {
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      await page.getByRole('link', { name: 'Access explorer' }).click();
      await page.getByRole('combobox', { name: /^Principal ARN/ }).fill(`arn:aws:iam::${ACCOUNT_ID}:user/alice`);
      await page.getByLabel(/^Actions/).fill(watchedAction);
      await page.getByLabel(/^Resources/).fill(`arn:aws:iam::${ACCOUNT_ID}:user/alice`);
      await page.getByRole('button', { name: 'Decide' }).click();
      await page.getByRole('button', { name: 'Watch', exact: true }).click();
      await page.getByRole('table', { name: 'Watched questions' }).waitFor();
      await page.goto(`${dashboard.server.url}/users/alice`);
      await page.getByRole('heading', { name: 'User alice' }).waitFor();

      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to Portcullis' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/');
      await page.getByLabel('User name', { exact: true }).fill('reader');
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();

      await page.getByRole('link', { name: 'Access explorer' }).click();
      await page.getByText('Nothing watched yet').waitFor();
      expect(await page.getByRole('table', { name: 'Watched questions' }).count()).toBe(0);

      // Root's list is still root's.
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      await page.getByRole('link', { name: 'Access explorer' }).click();
      await page.getByRole('table', { name: 'Watched questions' }).getByText(watchedAction).waitFor();
      await page.close();
    });

    // A different group at each width: the membership is a new change each time.
    const groupName = size.name === 'desktop' ? 'Auditors' : 'Billing';
    it(`opens activity rows to their details, with dates, a filter over every name a row holds, and a chart with values (${size.name})`, async () => {
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      await page.getByRole('link', { name: 'Activity' }).click();
      await page.locator('[data-live-status="connected"]').waitFor();
      const added = await dashboard.root<{ addUserToGroup: { __typename: string } }>('mutation($g: String!) { addUserToGroup(input: { groupName: $g, userName: "reader" }) { __typename } }', { g: groupName });
      expect(added.addUserToGroup.__typename).toBe('AddUserToGroupSuccess');
      const table = page.getByRole('table', { name: 'Changes, newest first' });
      // The row's entity is the group; the user it added is only in its payload, and the filter finds it.
      await page.getByLabel(/^Filter/).fill('user/reader');
      const row = table.getByRole('row').filter({ hasText: `group/${groupName}` });
      await row.waitFor();
      const date = await page.evaluate(() => new Date().toLocaleDateString());
      expect(await row.locator('time').textContent()).toContain(date);
      await row.getByRole('button', { expanded: false }).click();
      const details = table.locator('.change-details');
      await details.waitFor();
      expect(await details.textContent()).toMatch(/userArn.*arn:aws:iam::111122223333:user\/reader/);
      expect(await details.textContent()).toContain(`arn:aws:iam::${ACCOUNT_ID}:root`);
      // The chart states its scale and the count of each busy bucket, over a window the user picks.
      await page.getByLabel(/^Filter/).fill('');
      expect(Number(await page.locator('.chart [data-axis="max"]').textContent())).toBeGreaterThan(0);
      expect(await page.locator('.chart [data-value]').count()).toBeGreaterThan(0);
      await page.getByLabel('Time window').selectOption({ label: 'Last 6 hours' });
      await page.getByText('All changes per 6 minutes').waitFor();
      await expectAccessible(page, `activity with details open (${size.name})`);
      // The opened row stays open while the filter changes.
      await page.getByLabel(/^Filter/).fill('user/reader');
      await row.getByRole('button', { expanded: true }).waitFor();
      if (size.name === 'desktop') await dashboard.screenshot(page, 'activity-details', { viewportOnly: true });
      await page.close();
    });
  }

  /** The latest revision of the change log, as root reads it. */
  const latestRevision = async (): Promise<string> => (await dashboard.root<{ serverInfo: { revision: string } }>('{ serverInfo { revision } }')).serverInfo.revision;

  /** How many refusals of `action` the change log recorded after `revision` (one per refused subscription attempt). */
  const refusalsSince = async (revision: string, action: string): Promise<number> => {
    const log = await dashboard.root<{ changeLog: { entries: { revision: string; kind: string; payload: string }[] } }>(
      '{ changeLog(last: 500, includeAudit: true) { entries { revision kind payload } } }',
    );
    return log.changeLog.entries.filter((e) => BigInt(e.revision) > BigInt(revision) && e.kind === 'ACCESS_DENIED' && (JSON.parse(e.payload) as { action: string }).action === action).length;
  };

  for (const size of WIDTHS) {
    it(`stops a refused live stream and names the missing permission: at most 3 connections in 30 s (${size.name})`, async () => {
      const page = await dashboard.browser.newPage(size);
      await dashboard.signIn(page, 'reader', PASSWORD);
      // The page's timers run on a fake clock, so 30 s of reconnect timers (backoff or a storm) pass at once.
      await page.clock.install();
      let sockets = 0;
      page.on('websocket', () => sockets++);
      const before = await latestRevision();
      await page.goto(`${dashboard.server.url}/activity`);
      const refusal = page.getByRole('alert');
      await refusal.waitFor();
      expect(await refusal.locator('[data-missing-permission]').textContent()).toBe('iam:Changes');
      expect(await refusal.textContent()).toContain('(ACCESS_DENIED)');
      if (size.name === 'desktop') await dashboard.screenshot(page, 'refused-stream', { viewportOnly: true });
      // Before the fix, a refused stream reconnected ~90 times a second; now it is never retried.
      await page.clock.runFor(30_000);
      await page.waitForTimeout(1_000);
      expect(sockets).toBeLessThanOrEqual(3);
      // Nor does it write a refusal to the change log per attempt (the storm took the revision from 86 to 5,914 in a minute).
      expect(await refusalsSince(before, 'iam:Changes')).toBeLessThanOrEqual(3);
      await expectAccessible(page, `activity refused (${size.name})`);
      await page.close();
    });

    // A question of its own at each width: the reader's watch list keeps the first.
    const refusedAction = size.name === 'desktop' ? 'iam:GetUser' : 'iam:ListUserTags';
    it(`keeps a refused watch list to one connection in 30 s and names the missing permission (${size.name})`, async () => {
      const page = await dashboard.browser.newPage(size);
      await dashboard.signIn(page, 'reader', PASSWORD);
      await page.getByRole('link', { name: 'Access explorer' }).click();
      await page.getByLabel(/^Actions/).fill(refusedAction);
      await page.getByLabel(/^Resources/).fill(`arn:aws:iam::${ACCOUNT_ID}:user/reader`);
      await page.getByRole('button', { name: 'Decide' }).click();
      await page.getByRole('article', { name: `${refusedAction} on arn:aws:iam::${ACCOUNT_ID}:user/reader` }).waitFor();
      await page.getByRole('button', { name: 'Watch', exact: true }).click();
      await page.getByRole('table', { name: 'Watched questions' }).waitFor();

      // Open the explorer again with the watch list saved, as the reader would the next day.
      await page.clock.install();
      let sockets = 0;
      page.on('websocket', () => sockets++);
      const before = await latestRevision();
      await page.goto(`${dashboard.server.url}/explorer`);
      const row = page.getByRole('table', { name: 'Watched questions' }).getByRole('row').filter({ hasText: refusedAction });
      await row.getByText('ACCESS_DENIED').waitFor();
      expect(await row.locator('[data-missing-permission]').textContent()).toBe('iam:DecisionChanged');
      await page.clock.runFor(30_000);
      await page.waitForTimeout(1_000);
      expect(sockets).toBeLessThanOrEqual(3);
      expect(await refusalsSince(before, 'iam:DecisionChanged')).toBeLessThanOrEqual(3);
      await expectAccessible(page, `explorer with a refused watch (${size.name})`);
      await page.close();
    });

    it(`updates the explorer's card when the watch list flips, naming the group or role a policy applies through (${size.name})`, async () => {
      const userName = `carded-${size.name}`;
      await dashboard.root('mutation($n: String!) { createUser(input: { userName: $n }) { __typename } }', { n: userName });
      const page = await dashboard.browser.newPage(size);
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      await page.getByRole('link', { name: 'Access explorer' }).click();
      await page.getByRole('combobox', { name: /^Principal ARN/ }).fill(`arn:aws:iam::${ACCOUNT_ID}:user/${userName}`);
      await page.getByLabel(/^Actions/).fill('s3:GetObject');
      await page.getByLabel(/^Resources/).fill(`arn:aws:s3:::cards/${size.name}.csv`);
      await page.getByRole('button', { name: 'Decide' }).click();
      const card = page.getByRole('article', { name: `s3:GetObject on arn:aws:s3:::cards/${size.name}.csv` });
      await card.getByText('Implicitly denied').waitFor();
      await card.getByRole('button', { name: 'Watch' }).click();
      await page.locator('[data-live-status="connected"]').first().waitFor();

      // Joining Admins grants it: the watch list flips, and so does the card, without asking again.
      await dashboard.root('mutation($n: String!) { addUserToGroup(input: { groupName: "Admins", userName: $n }) { __typename } }', { n: userName });
      const row = page.getByRole('table', { name: 'Watched questions' }).getByRole('row').filter({ hasText: `cards/${size.name}.csv` });
      await row.getByText('Allowed', { exact: true }).waitFor();
      await card.getByText('Allowed', { exact: true }).waitFor();
      expect(await card.getByText('Implicitly denied').count()).toBe(0);
      // The card names the group through which AdministratorAccess applies, linked to its page.
      const deciding = card.locator('.statement.deciding').filter({ hasText: 'AdministratorAccess' });
      await deciding.locator('[data-through]').getByRole('link', { name: 'Admins' }).waitFor();
      expect(await deciding.locator('[data-through]').textContent()).toBe(', through Group Admins');

      // A role's policy applies through the role.
      await page.getByRole('combobox', { name: /^Principal ARN/ }).fill(`arn:aws:iam::${ACCOUNT_ID}:role/ReadOnlyAuditor`);
      await page.getByLabel(/^Actions/).fill('iam:ListUsers');
      await page.getByLabel(/^Resources/).fill('*');
      await page.getByRole('button', { name: 'Decide' }).click();
      const roleCard = page.getByRole('article', { name: 'iam:ListUsers on *' });
      await roleCard.getByText('Allowed', { exact: true }).waitFor();
      expect(await roleCard.locator('.statement.deciding [data-through]').first().textContent()).toBe(', through Role ReadOnlyAuditor');
      await expectAccessible(page, `explorer naming what a policy applies through (${size.name})`);
      await page.close();
    });

    it(`leads a user without iam:ChangePassword through a forced password change (${size.name})`, async () => {
      const userName = `newcomer-${size.name}`;
      await createUser(userName, { passwordResetRequired: true });
      const page = await dashboard.browser.newPage(size);
      await dashboard.signOut(page);
      await page.getByLabel('User name', { exact: true }).fill(userName);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Change your password' }).waitFor();
      // The account's rules are shown before a password is tried.
      await page.getByRole('region', { name: 'Password requirements' }).getByText(/^at least \d+ characters$/).waitFor();
      await expectAccessible(page, `forced password change (${size.name})`);
      const form = page.getByRole('form', { name: 'Change password' });
      await form.getByLabel('Current password').fill(PASSWORD);
      await form.getByLabel('New password', { exact: true }).fill('Another-passw0rd-2026!');
      await form.getByLabel('Repeat the new password').fill('Another-passw0rd-2026!');
      await form.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).waitFor();
      await page.close();
    });
  }
});
