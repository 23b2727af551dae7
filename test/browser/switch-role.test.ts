/**
 * "Switch role" in Chromium, as in AWS's console: a user of the first account switches into a
 * role of a second account (bootstrapped on the same database, its role trusting the first
 * account), sees that account's users and not its own, with the role's display name, colour and
 * account in the header; switches back without signing in; the recent role switches again in one
 * click and belongs to that user only; a revoked role session, and a reload, return to the user with a notice;
 * sign-out ends both sessions; a refused switch shows the API's message and the missing permission,
 * and a malformed form sends nothing.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAccount } from '../../src/iam/bootstrap.ts';
import { expectAccessible } from './support/accessibility.ts';
import { CHROMIUM_PATH, chromiumAvailable } from './support/browser.ts';
import { ACCOUNT_ID, openDashboard, type Dashboard } from './support/dashboard.ts';

if (!chromiumAvailable) console.warn(`switch role tests skipped: ${CHROMIUM_PATH} is not installed`);

const OTHER_ACCOUNT = '444455556666';
const OTHER_KEY_ID = 'AKIAPORTCULLISOTHERA';
const OTHER_SECRET = 'otherAccountTestSecretKey0123456789abcd';
const PASSWORD = 'Switch-role-password-2026!';
const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describe.skipIf(!chromiumAvailable)('Switch role in the console', { timeout: 180_000 }, () => {
  let dashboard: Dashboard;

  /** Calls the API as the second account's root; throws on top-level errors or a result that is not a Success. */
  const asOther = async (query: string, variables: Record<string, unknown>): Promise<void> => {
    const basic = `Basic ${Buffer.from(`${OTHER_KEY_ID}:${OTHER_SECRET}`).toString('base64')}`;
    const response = await dashboard.server.gql(query, variables, { authorization: basic });
    if (response.body.errors !== undefined) throw new Error(`API error: ${JSON.stringify(response.body.errors)}`);
    for (const value of Object.values(response.body.data ?? {})) {
      const typename = (value as { __typename?: string } | null)?.__typename;
      if (typename === undefined || !typename.endsWith('Success')) throw new Error(`refused: ${JSON.stringify(value)}`);
    }
  };

  const trust = (principal: string): string =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });

  /** A console user of the first account with read access to IAM and, optionally, an inline policy. */
  const createUser = async (userName: string, inline?: object): Promise<void> => {
    await dashboard.root('mutation($n: String!) { createUser(input: { userName: $n }) { __typename } }', { n: userName });
    await dashboard.root('mutation($n: String!, $p: String!) { createLoginProfile(input: { userName: $n, password: $p }) { __typename } }', { n: userName, p: PASSWORD });
    await dashboard.root('mutation($n: String!) { attachUserPolicy(input: { userName: $n, policyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }) { __typename } }', { n: userName });
    if (inline !== undefined) {
      await dashboard.root('mutation($n: String!, $d: String!) { putUserPolicy(input: { userName: $n, policyName: "switch", policyDocument: $d }) { __typename } }', {
        n: userName,
        d: JSON.stringify(inline),
      });
    }
  };

  /** The header's identity button. */
  const identity = (page: Page) => page.locator('.identity-button');

  /** Opens the account menu in the header. */
  const openMenu = async (page: Page): Promise<void> => {
    if ((await identity(page).getAttribute('aria-expanded')) !== 'true') await identity(page).click();
  };

  /** The user names in the Users page's table. */
  const listedUsers = async (page: Page): Promise<string[]> => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('table').waitFor();
    return page.getByRole('table').locator('tbody tr td:first-child').allTextContents();
  };

  /** Fills and sends the Switch role form, reached through the account menu. */
  const switchTo = async (page: Page, account: string, roleName: string, options: { displayName?: string; colour?: string } = {}): Promise<void> => {
    await openMenu(page);
    await page.getByRole('link', { name: 'Switch role' }).click();
    await page.getByRole('heading', { name: 'Switch role' }).waitFor();
    await page.getByLabel('Account ID').fill(account);
    await page.getByLabel('Role name').fill(roleName);
    await page.getByLabel('Display name').fill(options.displayName ?? '');
    if (options.colour !== undefined) await page.getByRole('radio', { name: options.colour }).check();
    if (account === OTHER_ACCOUNT && options.displayName === 'Other admin desktop') await dashboard.screenshot(page, 'switch-role', { viewportOnly: true });
    await page.getByRole('button', { name: 'Switch role' }).click();
  };

  /** Records the role session tokens the console receives from assumeRole (only the test reads them). */
  const captureRoleTokens = (page: Page): string[] => {
    const tokens: string[] = [];
    page.on('response', async (response) => {
      if (!response.url().endsWith('/graphql') || !(response.request().postData() ?? '').includes('mutation SwitchRole')) return;
      const body = (await response.json().catch(() => undefined)) as { data?: { assumeRole?: { credentials?: { sessionToken?: string } } } } | undefined;
      const token = body?.data?.assumeRole?.credentials?.sessionToken;
      if (token !== undefined) tokens.push(token);
    });
    return tokens;
  };

  /** Whether the API still accepts a session token. */
  const tokenWorks = async (token: string): Promise<boolean> => {
    const response = await dashboard.server.gql('{ callerIdentity { arn } }', {}, { authorization: `Bearer ${token}` });
    return response.status === 200 && response.body.errors === undefined;
  };

  beforeAll(async () => {
    dashboard = await openDashboard();
    // A second account on the same database, as the Organizations API's createAccount will make one.
    await bootstrapAccount(dashboard.server.running.app.database, {
      accountId: OTHER_ACCOUNT,
      rootAccessKey: { accessKeyId: OTHER_KEY_ID, secret: OTHER_SECRET },
    });
    await asOther('mutation($d: String!) { createRole(input: { roleName: "CrossAccountAdmin", assumeRolePolicyDocument: $d }) { __typename } }', {
      d: trust(`arn:aws:iam::${ACCOUNT_ID}:root`),
    });
    await asOther('mutation { attachRolePolicy(input: { roleName: "CrossAccountAdmin", policyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }) { __typename } }', {});
    // Its sessions may follow the account's activity live.
    await asOther('mutation($d: String!) { putRolePolicy(input: { roleName: "CrossAccountAdmin", policyName: "activity", policyDocument: $d }) { __typename } }', {
      d: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:Changes', Resource: '*' }] }),
    });
    // Trusts only its own account: the first account's users are refused.
    await asOther('mutation($d: String!) { createRole(input: { roleName: "LocalOnly", assumeRolePolicyDocument: $d }) { __typename } }', {
      d: trust(`arn:aws:iam::${OTHER_ACCOUNT}:root`),
    });
    await asOther('mutation { createUser(input: { userName: "bella-in-other" }) { __typename } }', {});
    // The switcher may assume any role of the other account; the bystander may not assume roles at all.
    await createUser('switcher', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: `arn:aws:iam::${OTHER_ACCOUNT}:role/*` }],
    });
    await createUser('bystander');
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  for (const size of WIDTHS) {
    it(`switches into the other account's role and back, the header always naming the account (${size.name})`, async () => {
      const page = await dashboard.browser.newPage(size);
      const tokens = captureRoleTokens(page);
      await dashboard.signIn(page, 'switcher', PASSWORD);
      await expect.poll(() => identity(page).textContent()).toContain(`switcher @ ${ACCOUNT_ID}`);
      const ownUsers = await listedUsers(page);
      expect(ownUsers).toContain('alice');
      expect(ownUsers).not.toContain('bella-in-other');

      await switchTo(page, OTHER_ACCOUNT, 'CrossAccountAdmin', { displayName: `Other admin ${size.name}`, colour: 'Red' });
      await expect.poll(() => identity(page).textContent()).toContain(`Other admin ${size.name}`);
      expect(await identity(page).textContent()).toContain(`Account ${OTHER_ACCOUNT}`);
      expect(await identity(page).getAttribute('class')).toContain('role-red');
      // The role's token is in no storage a later script could read (only in the page's memory).
      await expect.poll(() => tokens.length).toBe(1);
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie);
      expect(stored).not.toContain(tokens[0]!);
      if (size.name === 'desktop') await dashboard.screenshot(page, 'switch-role-switched', { viewportOnly: true });
      const otherUsers = await listedUsers(page);
      expect(otherUsers).toContain('bella-in-other');
      expect(otherUsers).not.toContain('alice');
      expect(otherUsers).not.toContain('switcher');
      await expectAccessible(page, `switched users page (${size.name})`);
      if (size.name === 'desktop') {
        // The live stream reconnects as the role: a change in the other account arrives.
        await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity', exact: true }).click();
        await page.locator('[data-live-status="connected"]').waitFor();
        await asOther('mutation { createUser(input: { userName: "live-in-other" }) { __typename } }', {});
        const changes = page.getByRole('table', { name: 'Changes, newest first' });
        await changes.getByRole('row').filter({ hasText: 'user/live-in-other' }).waitFor();
        // Only the other account's entities (its role session may name the user who assumed it as actor).
        const entities = await changes.locator('tbody tr td:nth-child(3)').allTextContents();
        expect(entities.filter((arn) => arn.includes(`:${ACCOUNT_ID}:`))).toEqual([]);
      }

      // The menu says who is signed in and as which role; Switch back needs no sign-in.
      await openMenu(page);
      const panel = page.locator('.identity-panel');
      await expect.poll(() => panel.textContent()).toContain('CrossAccountAdmin');
      expect(await panel.textContent()).toContain(ACCOUNT_ID);
      await expectAccessible(page, `account menu while switched (${size.name})`);
      if (size.name === 'phone') await dashboard.screenshot(page, 'switch-role-menu-phone', { viewportOnly: true });
      await page.getByRole('button', { name: 'Switch back' }).click();
      await expect.poll(() => identity(page).textContent()).toContain(`switcher @ ${ACCOUNT_ID}`);
      const backUsers = await listedUsers(page);
      expect(backUsers).toContain('alice');
      expect(backUsers).not.toContain('bella-in-other');
      // Switching back revoked the role session.
      expect(tokens).toHaveLength(1);
      expect(await tokenWorks(tokens[0]!)).toBe(false);

      // The recent role switches again in one click.
      await openMenu(page);
      await page.getByRole('button', { name: `Other admin ${size.name}` }).click();
      await expect.poll(() => identity(page).textContent()).toContain(`Other admin ${size.name}`);
      expect(await listedUsers(page)).toContain('bella-in-other');
      expect(tokens).toHaveLength(2);

      // Sign-out ends both sessions.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { name: 'Sign in to Portcullis' }).waitFor();
      expect(await tokenWorks(tokens[1]!)).toBe(false);
      await page.close();
    });
  }

  it('keeps recent roles per signed-in user, and never shows them to the next one', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'bystander', PASSWORD);
    await openMenu(page);
    await page.locator('.identity-panel').getByRole('link', { name: 'Switch role' }).waitFor();
    expect(await page.locator('.identity-panel').textContent()).not.toContain('Other admin');
    await dashboard.signIn(page, 'switcher', PASSWORD);
    await openMenu(page);
    // One entry per role: switching to it again (at the phone width) replaced the older one.
    await page.getByRole('button', { name: 'Other admin phone' }).waitFor();
    expect(await page.locator('.recent-roles li').count()).toBe(1);
    await page.close();
  });

  it('returns to the signed-in user with a notice when the role session ends elsewhere', async () => {
    const page = await dashboard.browser.newPage();
    const tokens = captureRoleTokens(page);
    await dashboard.signIn(page, 'switcher', PASSWORD);
    await switchTo(page, OTHER_ACCOUNT, 'CrossAccountAdmin', { displayName: 'Short lived' });
    await expect.poll(() => identity(page).textContent()).toContain('Short lived');
    expect(await listedUsers(page)).toContain('bella-in-other');
    // The role session is revoked behind the console's back, as its expiry would end it.
    const revoked = await dashboard.server.gql('mutation { signOut { __typename } }', {}, { authorization: `Bearer ${tokens[0]!}` });
    expect(revoked.body.data).toEqual({ signOut: { __typename: 'SignOutSuccess' } });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Groups', exact: true }).click();
    await page.getByText('The session of role “Short lived” has ended.').waitFor();
    await expect.poll(() => identity(page).textContent()).toContain(`switcher @ ${ACCOUNT_ID}`);
    // Still signed in as the user: the own account's users are there.
    expect(await listedUsers(page)).toContain('alice');

    // A reload drops the role (its token was only in the page's memory), says so, and revokes it.
    await switchTo(page, OTHER_ACCOUNT, 'CrossAccountAdmin', { displayName: 'Until reload' });
    await expect.poll(() => identity(page).textContent()).toContain('Until reload');
    await page.reload();
    await page.getByText('Reloading the page ended the switched role “Until reload”').waitFor();
    await expect.poll(() => identity(page).textContent()).toContain(`switcher @ ${ACCOUNT_ID}`);
    expect(tokens).toHaveLength(2);
    await expect.poll(() => tokenWorks(tokens[1]!)).toBe(false);

    // Switching again while switched assumes the role as the user (not chained) and revokes the session left behind.
    await switchTo(page, OTHER_ACCOUNT, 'CrossAccountAdmin', { displayName: 'First' });
    await expect.poll(() => identity(page).textContent()).toContain('First');
    await switchTo(page, OTHER_ACCOUNT, 'CrossAccountAdmin', { displayName: 'Second' });
    await expect.poll(() => identity(page).textContent()).toContain('Second');
    await expect.poll(() => tokens.length).toBe(4);
    await expect.poll(() => tokenWorks(tokens[2]!)).toBe(false);
    expect(await tokenWorks(tokens[3]!)).toBe(true);
    await page.close();
  });

  it('checks the form before sending, and shows the refusal with the missing permission', async () => {
    const page = await dashboard.browser.newPage();
    const sent: string[] = [];
    page.on('request', (request) => {
      if ((request.postData() ?? '').includes('mutation SwitchRole')) sent.push(request.url());
    });
    await dashboard.signIn(page, 'bystander', PASSWORD);
    await switchTo(page, '12345', 'Bad name!');
    await page.getByText('“12345” is not an account ID: it must be exactly 12 digits.').waitFor();
    await page.getByText('“Bad name!” is not a role name').waitFor();
    expect(sent).toHaveLength(0);
    await expectAccessible(page, 'switch role form with errors');

    // The bystander's own policies do not allow sts:AssumeRole on the role.
    await page.getByLabel('Account ID').fill(OTHER_ACCOUNT);
    await page.getByLabel('Role name').fill('CrossAccountAdmin');
    await page.getByRole('button', { name: 'Switch role' }).click();
    const alert = page.getByRole('alert').filter({ hasText: 'Could not switch role' });
    await alert.waitFor();
    expect(await alert.textContent()).toContain('ACCESS_DENIED');
    expect(await alert.locator('[data-missing-permission]').textContent()).toBe('sts:AssumeRole');
    expect(sent).toHaveLength(1);
    await expect.poll(() => identity(page).textContent()).toContain(`bystander @ ${ACCOUNT_ID}`);

    // The switcher may assume it, but the role does not trust the first account.
    await dashboard.signIn(page, 'switcher', PASSWORD);
    await switchTo(page, OTHER_ACCOUNT, 'LocalOnly');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('ACCESS_DENIED');
    await expect.poll(() => identity(page).textContent()).toContain(`switcher @ ${ACCOUNT_ID}`);
    expect(dashboard.browser.consoleErrors.filter((e) => !e.includes('401') && !e.includes('Failed to load resource'))).toEqual([]);
    await page.close();
  });
});
