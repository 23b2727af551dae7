/**
 * The overview's security panels and the Escalation tab, end to end in Chromium at desktop and
 * phone widths: the "access keys unused for 90 days" recommendation flags an old key never used
 * and one last used long ago, and not an old key used just now (through a real authenticated
 * request); a user and a role given a real escalation path over the API show it, with its steps,
 * on their Escalation tab and in the overview's panel, and a principal without one shows none.
 */
import { eq, sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accessKeys } from '../../src/db/schema/credentials.ts';
import { expectAccessible } from './support/accessibility.ts';
import { CHROMIUM_PATH, chromiumAvailable } from './support/browser.ts';
import { ACCOUNT_ID, openDashboard, ROOT_PASSWORD } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';

if (!chromiumAvailable) console.warn(`overview security browser tests skipped: ${CHROMIUM_PATH} is not installed`);

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

const LIST_OWN_KEYS = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'iam:ListAccessKeys', Resource: 'arn:aws:iam::*:user/${aws:username}' }],
});

describe.skipIf(!chromiumAvailable)('overview security panels and the Escalation tab', { timeout: 180_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  async function mutate(name: string, mutation: string, variables: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const data = await dashboard.root<Record<string, Record<string, unknown>>>(mutation, variables);
    const result = data[name]!;
    expect(result['__typename'], `${name}: ${JSON.stringify(result)}`).toMatch(/Success$/);
    return result;
  }

  async function createUser(userName: string, inlinePolicy?: string): Promise<void> {
    await mutate('createUser', 'mutation($u: String!) { createUser(input: { userName: $u }) { __typename } }', { u: userName });
    if (inlinePolicy === undefined) return;
    await mutate(
      'putUserPolicy',
      'mutation($u: String!, $d: String!) { putUserPolicy(input: { userName: $u, policyName: "Inline", policyDocument: $d }) { __typename } }',
      { u: userName, d: inlinePolicy },
    );
  }

  /** A new key of `userName`, its creation moved `ageDays` back (as if made then). */
  async function oldKey(userName: string, ageDays: number): Promise<{ accessKeyId: string; secret: string }> {
    const created = await mutate(
      'createAccessKey',
      'mutation($u: String!) { createAccessKey(input: { userName: $u }) { __typename ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }',
      { u: userName },
    );
    const accessKeyId = (created['accessKey'] as { accessKeyId: string }).accessKeyId;
    await dashboard.server.running.app.database.db
      .update(accessKeys)
      .set({ createdAt: sql`now() - make_interval(days => ${ageDays})` })
      .where(eq(accessKeys.id, accessKeyId));
    return { accessKeyId, secret: created['secretAccessKey'] as string };
  }

  async function overview(size: (typeof WIDTHS)[number]): Promise<Page> {
    const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    return page;
  }

  let keys: { never: string; longAgo: string; justNow: string } | undefined;
  /** Three users, each with a key 200 days old: never used, last used 120 days ago, used just now. */
  async function keysOfDifferentUse(): Promise<{ never: string; longAgo: string; justNow: string }> {
    if (keys !== undefined) return keys;
    await createUser('key-never-used');
    await createUser('key-used-long-ago');
    await createUser('key-used-now', LIST_OWN_KEYS);
    const never = await oldKey('key-never-used', 200);
    const longAgo = await oldKey('key-used-long-ago', 200);
    const justNow = await oldKey('key-used-now', 200);
    await dashboard.server.running.app.database.db
      .update(accessKeys)
      .set({ lastUsedAt: sql`now() - interval '120 days'`, lastUsedService: 'iam', lastUsedAction: 'iam:ListAccessKeys' })
      .where(eq(accessKeys.id, longAgo.accessKeyId));
    // Used through the real path: an authenticated request, recorded and flushed as the server does.
    const authorization = `Basic ${Buffer.from(`${justNow.accessKeyId}:${justNow.secret}`).toString('base64')}`;
    const listed = await dashboard.server.gql<{ accessKeys: { accessKeyId: string }[] }>('{ accessKeys { accessKeyId } }', {}, { authorization });
    expect(listed.body.data?.accessKeys).toEqual([{ accessKeyId: justNow.accessKeyId }]);
    await dashboard.server.running.app.authz.flushUsage();
    const lastUsed = await dashboard.root<{ accessKeyLastUsed: { lastUsedDate: string | null } }>('query($k: String!) { accessKeyLastUsed(accessKeyId: $k) { lastUsedDate } }', {
      k: justNow.accessKeyId,
    });
    expect(Date.now() - Date.parse(lastUsed.accessKeyLastUsed.lastUsedDate ?? '0')).toBeLessThan(60_000);
    keys = { never: never.accessKeyId, longAgo: longAgo.accessKeyId, justNow: justNow.accessKeyId };
    return keys;
  }

  for (const size of WIDTHS) {
    it(`recommends deactivating keys unused for 90 days, not one used just now (${size.name})`, async () => {
      const { never, longAgo, justNow } = await keysOfDifferentUse();
      const page = await overview(size);
      const unused = page.locator('[data-recommendation="key-unused"]');
      await unused.getByText('Deactivate access keys unused for 90 days').waitFor();
      await expect(unused.getAttribute('data-done')).resolves.toBe('false');
      const text = (await unused.textContent()) ?? '';
      expect(text).toContain('2 active keys have not been used for 90 days');
      expect(text).toContain(`${never} (key-never-used)`);
      expect(text).toContain(`${longAgo} (key-used-long-ago)`);
      expect(text).not.toContain(justNow);
      // All three are older than 90 days, so rotation still names the one used just now.
      await expect(page.locator('[data-recommendation="key-rotation"]').textContent()).resolves.toContain(justNow);
      await expectAccessible(page, `overview recommendations (${size.name})`);

      // The fix link opens the first unused key's owner, where the key can be deactivated.
      await unused.getByRole('link', { name: 'Review key-never-used’s unused key' }).click();
      await page.getByRole('heading', { name: 'key-never-used' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/users/key-never-used');
      await page.close();
    });
  }

  let escalation: { userArn: string; roleArn: string; calmArn: string } | undefined;
  /**
   * A user allowed iam:CreatePolicyVersion on the managed policy attached to itself, a role allowed
   * iam:PutRolePolicy on itself, and a user who may only read.
   */
  async function principalsWithAndWithoutPaths(): Promise<{ userArn: string; roleArn: string; calmArn: string }> {
    if (escalation !== undefined) return escalation;
    const policyArn = `arn:aws:iam::${ACCOUNT_ID}:policy/EscalatorSelfEdit`;
    await mutate('createPolicy', 'mutation($d: String!) { createPolicy(input: { policyName: "EscalatorSelfEdit", policyDocument: $d }) { __typename } }', {
      d: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: policyArn }] }),
    });
    await createUser('escalator');
    await mutate('attachUserPolicy', 'mutation($p: String!) { attachUserPolicy(input: { userName: "escalator", policyArn: $p }) { __typename } }', { p: policyArn });
    const roleArn = `arn:aws:iam::${ACCOUNT_ID}:role/escalator-role`;
    await mutate('createRole', 'mutation($t: String!) { createRole(input: { roleName: "escalator-role", assumeRolePolicyDocument: $t }) { __typename } }', {
      t: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
    });
    await mutate(
      'putRolePolicy',
      'mutation($d: String!) { putRolePolicy(input: { roleName: "escalator-role", policyName: "SelfWrite", policyDocument: $d }) { __typename } }',
      { d: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:PutRolePolicy', Resource: roleArn }] }) },
    );
    await createUser('calm', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListUsers'], Resource: '*' }] }));
    escalation = { userArn: `arn:aws:iam::${ACCOUNT_ID}:user/escalator`, roleArn, calmArn: `arn:aws:iam::${ACCOUNT_ID}:user/calm` };
    return escalation;
  }

  for (const size of WIDTHS) {
    it(`shows a user's and a role's escalation path with its steps, and none for a user without one (${size.name})`, async () => {
      const { userArn, roleArn } = await principalsWithAndWithoutPaths();
      const page = await overview(size);

      await page.goto(`${dashboard.server.url}/users/escalator?tab=escalation`);
      const paths = page.locator('ol.escalation-paths > li');
      await paths.first().waitFor();
      const userPath = paths.filter({ has: page.getByRole('heading', { name: 'New version of a policy it holds' }) });
      await expect(userPath.count()).resolves.toBe(1);
      const userSteps = (await userPath.locator('ol.escalation-steps > li').allTextContents()).join('\n');
      expect(userSteps).toContain('iam:CreatePolicyVersion');
      expect(userSteps).toContain(`arn:aws:iam::${ACCOUNT_ID}:policy/EscalatorSelfEdit`);
      await expectAccessible(page, `user escalation tab (${size.name})`);

      await page.goto(`${dashboard.server.url}/roles/escalator-role?tab=escalation`);
      const rolePath = page.locator('ol.escalation-paths > li').filter({ has: page.getByRole('heading', { name: "Write a role's inline policy" }) });
      await rolePath.first().waitFor();
      const roleSteps = (await rolePath.first().locator('ol.escalation-steps > li').allTextContents()).join('\n');
      expect(roleSteps).toContain('iam:PutRolePolicy');
      expect(roleSteps).toContain(roleArn);

      await page.goto(`${dashboard.server.url}/users/calm?tab=escalation`);
      await page.getByText('No escalation path found.').waitFor();
      await expect(page.locator('ol.escalation-paths').count()).resolves.toBe(0);

      // The overview's panel says what the API says, and the API counts both principals.
      const api = await dashboard.root<{
        escalationSummary: { principalsAnalyzed: number; principalsWithPaths: number; principals: { edges: { escalation: { principalArn: string } }[] } };
      }>('{ escalationSummary { principalsAnalyzed principalsWithPaths principals(first: 1000) { edges { escalation { principalArn } } } } }');
      const withPaths = api.escalationSummary.principals.edges.map((e) => e.escalation.principalArn);
      expect(withPaths).toContain(userArn);
      expect(withPaths).toContain(roleArn);
      expect(withPaths).not.toContain(escalation!.calmArn);
      await page.getByRole('link', { name: 'Overview' }).first().click();
      const panel = page.getByRole('region', { name: 'Privilege escalation' });
      await panel.getByText(`${api.escalationSummary.principalsWithPaths} of ${api.escalationSummary.principalsAnalyzed} users and roles can raise their own permissions.`).waitFor();
      await expect(panel.locator('ul.escalation-principals > li').count()).resolves.toBe(Math.min(10, withPaths.length));
      await expect(panel.getByText('New version of a policy it holds').count()).resolves.toBe(1);
      await expectAccessible(page, `overview escalation panel (${size.name})`);
      await page.close();
    });
  }
});

describe.skipIf(!chromiumAvailable)('the first screen of a new account', { timeout: 120_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    // As `npm start` leaves a new database: no demo organisation.
    dashboard = await openDashboard({ demo: false });
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  for (const size of WIDTHS) {
    it(`says how to load the demo organisation, links each root recommendation to its fix, and names a user without MFA (${size.name})`, async () => {
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      await page.getByRole('heading', { name: 'Overview' }).waitFor();
      const note = page.getByRole('region', { name: /Security recommendations/ }).getByRole('note');
      await note.getByText('npm run seed -- demo').waitFor();
      expect(await note.textContent()).toMatch(/no users, groups or roles yet/);
      await expectAccessible(page, `first screen (${size.name})`);
      // The root user's recommendations, each linking to where it is fixed: its own credentials page.
      const recommendations = page.getByRole('region', { name: /Security recommendations/ });
      const rootMfa = recommendations.locator('[data-recommendation="root-mfa"]');
      const rootKeys = recommendations.locator('[data-recommendation="root-keys"]');
      await expect(rootMfa.getAttribute('data-done')).resolves.toBe('false');
      await expect(rootKeys.getAttribute('data-done')).resolves.toBe('false');
      await expect(rootKeys.getByRole('link', { name: 'Manage root access keys' }).getAttribute('href')).resolves.toBe('/security-credentials');
      await rootMfa.getByRole('link', { name: 'Manage root MFA' }).click();
      await page.getByRole('heading', { name: 'My security credentials' }).waitFor();
      await page.getByRole('button', { name: 'Assign MFA device' }).waitFor();

      // The note's other way forward: create a user. One who signs in without MFA is then named, linked to its page.
      await page.getByRole('link', { name: 'Overview' }).first().click();
      await note.getByRole('link', { name: 'Users' }).click();
      await page.getByRole('heading', { name: 'Users' }).waitFor();
      const userName = `first-${size.name}`;
      await dashboard.root('mutation($n: String!) { createUser(input: { userName: $n }) { __typename } }', { n: userName });
      await dashboard.root('mutation($n: String!) { createLoginProfile(input: { userName: $n, password: "First-user-password-1!" }) { __typename } }', { n: userName });
      await page.getByRole('link', { name: 'Overview' }).first().click();
      const userMfa = recommendations.locator('[data-recommendation="user-mfa"]');
      await userMfa.getByText(`1 user signs in without MFA: ${userName}.`).waitFor();
      expect(await page.getByText('npm run seed -- demo').count()).toBe(0);
      await userMfa.getByRole('link', { name: `Add MFA for ${userName}` }).click();
      await page.getByRole('heading', { name: userName }).first().waitFor();
      expect(new URL(page.url()).pathname).toBe(`/users/${userName}`);
      await dashboard.root('mutation($n: String!) { deleteLoginProfile(input: { userName: $n }) { __typename } }', { n: userName });
      await dashboard.root('mutation($n: String!) { deleteUser(input: { userName: $n }) { __typename } }', { n: userName });
      await page.close();
    });
  }
});
