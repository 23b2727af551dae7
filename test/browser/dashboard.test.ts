/**
 * The dashboard end to end: a real server (fresh database, built dist/web) driven by headless
 * Chromium. Each test acts through the UI and checks the outcome through the API as well.
 * Screenshots for the README are saved to docs/screenshots.
 */
import { get } from 'node:http';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, chromiumAvailable } from './support/browser.ts';
import { accessKeys } from '../../src/db/schema/credentials.ts';
import { roles } from '../../src/db/schema/principals.ts';
import { openDashboard, ROOT_ACCESS_KEY_ID, ROOT_PASSWORD } from './support/dashboard.ts';

const VIEWER_PASSWORD = 'Viewer-password-2026!';
import type { Dashboard } from './support/dashboard.ts';

if (!chromiumAvailable) {
  console.warn(`dashboard browser tests skipped: ${CHROMIUM_PATH} is not installed (apt-get install chromium; .ci/run installs it)`);
}

// Real browser, real server: generous per-test time for a busy two-core CI machine.
describe.skipIf(!chromiumAvailable)('dashboard in Chromium', { timeout: 120_000 }, () => {
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
    expect(index.headers.get('content-security-policy')).toMatch(new RegExp(`connect-src 'self' ws://${new URL(dashboard.server.url).host} `));
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
    // Revalidation answers 304 from the ETag, and text is sent compressed to clients that accept it.
    const again = await fetch(`${dashboard.server.url}${script}`, { headers: { 'if-none-match': asset.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
    const raw = await new Promise<string | undefined>((resolve, reject) => {
      get(`${dashboard.server.url}${script}`, { headers: { 'accept-encoding': 'gzip' } }, (res) => {
        res.resume();
        resolve(res.headers['content-encoding']);
      }).on('error', reject);
    });
    expect(raw).toBe('gzip');
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
    // The account summary counts the demo organisation's users.
    await page.getByRole('link', { name: /\d+ Users/ }).waitFor();
    await dashboard.screenshot(page, 'overview');
    await page.close();
  });

  it('creates a user and attaches a managed policy through the UI', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    await page.getByRole('heading', { name: 'Users' }).waitFor();
    await page.getByRole('status').or(page.getByRole('table')).or(page.locator('.empty')).first().waitFor();
    await page.waitForTimeout(1500);
    await dashboard.screenshot(page, 'users');

    await page.getByRole('button', { name: 'Create user' }).click();
    const form = page.getByRole('form', { name: 'Create user' });
    // A name that breaks the rules is refused next to the field, with the API's rule.
    await form.getByLabel('User name', { exact: true }).fill('not a valid name!');
    await form.getByRole('button', { name: 'Create' }).click();
    const fieldError = form.locator('.field-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/userName/);

    await form.getByLabel('User name', { exact: true }).fill('dana');
    await form.getByLabel('Tags').fill('team=payments');
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'User dana' }).waitFor();

    const attach = page.getByRole('form', { name: 'Attach a managed policy' });
    // The policy picker still takes a typed ARN (credentials.test.ts picks by name).
    await attach.getByRole('combobox', { name: /Attach policy/ }).fill('arn:aws:iam::aws:policy/ReadOnlyAccess');
    await attach.getByRole('button', { name: 'Attach' }).click();
    await page.getByRole('list', { name: 'Attached managed policies' }).getByRole('link', { name: 'ReadOnlyAccess' }).waitFor();
    await dashboard.screenshot(page, 'user');

    const data = await dashboard.root<{ user: { tags: Array<{ key: string; value: string }>; attachedPolicies: Array<{ policyArn: string }> } | null }>(
      'query($n: String!) { user(userName: $n) { tags { key value } attachedPolicies { policyArn } } }',
      { n: 'dana' },
    );
    expect(data.user?.tags).toEqual([{ key: 'team', value: 'payments' }]);
    expect(data.user?.attachedPolicies.map((p) => p.policyArn)).toEqual(['arn:aws:iam::aws:policy/ReadOnlyAccess']);
    await page.close();
  });

  it('creates a role with a trust policy, then adds and deletes an inline policy', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.getByRole('link', { name: 'Roles', exact: true }).click();
    await page.getByRole('button', { name: 'Create role' }).click();
    const form = page.getByRole('form', { name: 'Create role' });
    await form.getByLabel('Role name').fill('ReportBuilder');
    await form.getByLabel(/^Description/).fill('Builds the monthly reports');
    await form.getByText('Ready to save').or(form.getByText('No findings.')).first().waitFor();
    await form.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'Role ReportBuilder' }).waitFor();

    await page.getByRole('button', { name: 'Add inline policy' }).click();
    const inline = page.getByRole('form', { name: 'Add inline policy' });
    await inline.getByLabel(/^Inline policy name/).fill('WriteReports');
    await inline.getByLabel('Inline policy document').fill(
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::reports/*' }] }, null, 2),
    );
    await inline.getByText('No findings.').waitFor();
    await inline.getByRole('button', { name: 'Save inline policy' }).click();
    await page.getByText(/Saved inline policy WriteReports/).waitFor();
    const stored = await dashboard.root<{ role: { description: string; inlinePolicies: Array<{ policyName: string }> } }>(
      '{ role(roleName: "ReportBuilder") { description inlinePolicies { policyName } } }',
    );
    expect(stored.role.description).toBe('Builds the monthly reports');
    expect(stored.role.inlinePolicies.map((p) => p.policyName)).toEqual(['WriteReports']);

    await page.getByText('WriteReports').first().click();
    await page.getByRole('button', { name: 'Delete inline policy WriteReports' }).click();
    await page.getByText(/Deleted inline policy WriteReports/).waitFor();
    const after = await dashboard.root<{ role: { inlinePolicies: unknown[] } }>('{ role(roleName: "ReportBuilder") { inlinePolicies { policyName } } }');
    expect(after.role.inlinePolicies).toEqual([]);
    await page.close();
  });

  it('shows a finding at the right line for a broken policy and refuses to save it', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/policies/new`);
    await page.getByRole('heading', { name: 'Create policy' }).waitFor();
    await page.getByLabel('Policy name').fill('BrokenPolicy');
    // Line 6 names an Effect the grammar does not have.
    const broken = ['{', '  "Version": "2012-10-17",', '  "Statement": [', '    {', '      "Action": "s3:GetObject",', '      "Effect": "Permit",', '      "Resource": "*"', '    }', '  ]', '}'].join('\n');
    await page.getByLabel('Policy document').fill(broken);
    const findings = page.getByRole('list', { name: 'Policy findings' });
    await findings.getByText(/Line 6, column/).waitFor();
    expect(await findings.textContent()).toMatch(/Error/);
    await dashboard.screenshot(page, 'policy-editor');

    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText(/Not saved: the document has 1 error/).waitFor();
    const stored = await dashboard.root<{ policy: unknown }>('query($a: String!) { policy(policyArn: $a) { arn } }', {
      a: 'arn:aws:iam::111122223333:policy/BrokenPolicy',
    });
    expect(stored.policy).toBeNull();

    // Fixed, it saves and the policy page opens.
    await page.getByLabel('Policy document').fill(broken.replace('Permit', 'Allow'));
    await page.getByText('Ready to save').waitFor();
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('heading', { name: 'Policy BrokenPolicy' }).waitFor();
    await page.close();
  });

  it('previews a new policy version, saves it as default, and moves the default back', async () => {
    const v1 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::media/*' }] }, null, 2);
    await dashboard.root('mutation($d: String!) { createPolicy(input: { policyName: "MediaAccess", policyDocument: $d }) { __typename } }', { d: v1 });
    const arn = 'arn:aws:iam::111122223333:policy/MediaAccess';
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/policies/${encodeURIComponent(arn)}`);
    await page.getByRole('heading', { name: 'Policy MediaAccess' }).waitFor();

    const editor = page.getByRole('form', { name: 'Create policy version' });
    await editor.getByLabel('Policy document').fill(v1.replace('"s3:GetObject"', '"s3:PutObject"'));
    await editor.getByText('Ready to save').waitFor();
    const preview = page.getByRole('form', { name: 'Preview access' });
    await preview.getByLabel(/^Actions/).fill('s3:GetObject, s3:PutObject');
    await preview.getByLabel(/^Resources/).fill('arn:aws:s3:::media/cat.png');
    await preview.getByRole('combobox', { name: /^Principal ARN/ }).fill('arn:aws:iam::111122223333:user/bob');
    await preview.getByRole('button', { name: 'Preview' }).click();
    const rows = page.getByRole('table', { name: 'Access preview' }).getByRole('row');
    await rows.nth(2).waitFor();
    expect(await rows.filter({ hasText: 's3:GetObject' }).getAttribute('data-change')).toBe('removed');
    expect(await rows.filter({ hasText: 's3:PutObject' }).getAttribute('data-change')).toBe('added');

    await editor.getByRole('button', { name: 'Save version' }).click();
    await page.getByText(/Saved as v2, now the default/).waitFor();
    const versions = page.getByRole('table', { name: 'Policy versions' });
    await versions.getByRole('row').filter({ hasText: 'v1' }).getByRole('button', { name: 'Make default' }).click();
    await page.getByText(/v1 is now the default/).waitFor();
    const stored = await dashboard.root<{ policy: { defaultVersionId: string; versions: Array<{ versionId: string }> } }>(
      'query($a: String!) { policy(policyArn: $a) { defaultVersionId versions { versionId } } }',
      { a: arn },
    );
    expect(stored.policy.defaultVersionId).toBe('v1');
    expect(stored.policy.versions.map((v) => v.versionId).sort()).toEqual(['v1', 'v2']);
    await dashboard.screenshot(page, 'policy');
    await page.close();
  });

  it('flips a watched decision from denied to allowed when an API call grants it, and shows the change live', async () => {
    await dashboard.root('mutation { createUser(input: { userName: "wendy" }) { __typename } }');
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.getByRole('link', { name: 'Access explorer' }).click();
    await page.getByRole('combobox', { name: /^Principal ARN/ }).fill('arn:aws:iam::111122223333:user/wendy');
    await page.getByLabel(/^Actions/).fill('s3:GetObject');
    await page.getByLabel(/^Resources/).fill('arn:aws:s3:::reports/q1.csv');
    await page.getByRole('button', { name: 'Decide' }).click();
    const answer = page.getByRole('article', { name: 's3:GetObject on arn:aws:s3:::reports/q1.csv' });
    await answer.getByText('Implicitly denied').waitFor();
    await answer.getByRole('button', { name: 'Watch' }).click();
    const row = page.getByRole('table', { name: 'Watched questions' }).getByRole('row').filter({ hasText: 'reports/q1.csv' });
    await row.getByText('Implicitly denied').waitFor();
    await page.locator('[data-live-status="connected"]').first().waitFor();

    // Grant it through the API, as another operator would.
    const created = await dashboard.root<{ createPolicy: { __typename: string } }>(
      'mutation($d: String!) { createPolicy(input: { policyName: "ReportsRead", policyDocument: $d }) { __typename } }',
      { d: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ReadReports', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }] }, null, 2) },
    );
    expect(created.createPolicy.__typename).toBe('CreatePolicySuccess');
    await dashboard.root(
      'mutation { attachUserPolicy(input: { userName: "wendy", policyArn: "arn:aws:iam::111122223333:policy/ReportsRead" }) { __typename } }',
    );
    await row.getByText('Allowed').waitFor();
    expect(await row.getAttribute('class')).toContain('flipped');
    expect(await row.textContent()).toMatch(/after Policy attached/);
    // The explanation names the statement that now decides.
    await page.getByRole('button', { name: 'Decide' }).click();
    await answer.getByText('Allowed').first().waitFor();
    expect(await answer.locator('.statement.deciding').textContent()).toMatch(/Allow in ReportsRead .*“ReadReports”/);
    await answer.getByRole('button', { name: 'Show statement' }).click();
    const highlighted = answer.locator('[data-highlighted]');
    await highlighted.first().waitFor();
    expect((await highlighted.allTextContents()).join('\n')).toMatch(/"Sid": "ReadReports"[\s\S]*"Resource": "arn:aws:s3:::reports\/\*"/);
    await dashboard.screenshot(page, 'access-explorer');

    // The same write is in the activity stream, newest first.
    await page.getByRole('link', { name: 'Activity' }).click();
    const changes = page.getByRole('table', { name: 'Changes, newest first' });
    await changes.getByRole('row').filter({ hasText: 'Policy attached' }).filter({ hasText: 'user/wendy' }).waitFor();
    const firstRow = await changes.getByRole('row').nth(1).textContent();
    expect(firstRow).toMatch(/Policy attached/);
    await page.getByLabel(/^Filter/).fill('wendy');
    expect(await changes.getByRole('row').count()).toBeGreaterThanOrEqual(3); // header, User created, Policy attached
    await page.getByLabel(/^Filter/).fill('');
    await dashboard.screenshot(page, 'activity', { viewportOnly: true });
    await page.close();
  });

  it('names missing context keys, and decides again with them supplied', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/explorer`);
    // The principal field suggests the account's users and roles; bob is in Auditors, whose
    // RequireMFA policy denies nearly everything without MFA.
    const principal = page.getByRole('combobox', { name: /^Principal ARN/ });
    await principal.fill('bob');
    await page.getByRole('option', { name: /^bob user arn:aws:iam::111122223333:user\/bob$/ }).click();
    await expect(principal.inputValue()).resolves.toBe('arn:aws:iam::111122223333:user/bob');
    await page.getByLabel(/^Actions/).fill('s3:GetObject');
    await page.getByLabel(/^Resources/).fill('arn:aws:s3:::media/cat.png');
    await page.getByRole('button', { name: 'Decide' }).click();
    const answer = page.getByRole('article', { name: 's3:GetObject on arn:aws:s3:::media/cat.png' });
    await answer.getByText('Explicitly denied').waitFor();
    expect(await answer.getByRole('note').textContent()).toMatch(/Missing context values: aws:MultiFactorAuthPresent/);
    expect(await answer.locator('.statement.deciding').first().textContent()).toMatch(/Deny in RequireMFA .*“DenyAllExceptListedIfNoMFA”/);

    await page.getByRole('button', { name: 'Add context key' }).click();
    await page.getByLabel('Key', { exact: true }).fill('aws:MultiFactorAuthPresent');
    await page.getByLabel('Type', { exact: true }).selectOption('BOOLEAN');
    await page.getByLabel('Value', { exact: true }).fill('true');
    await page.getByRole('button', { name: 'Decide' }).click();
    await answer.getByText('Allowed', { exact: true }).waitFor();
    expect(await answer.getByRole('note').count()).toBe(0);
    await page.close();
  });

  it('shows a user without permission the API explanation instead of a blank page', async () => {
    await dashboard.root('mutation { createUser(input: { userName: "viewer" }) { __typename } }');
    const profile = await dashboard.root<{ createLoginProfile: { __typename: string } }>(
      'mutation($p: String!) { createLoginProfile(input: { userName: "viewer", password: $p }) { __typename } }',
      { p: VIEWER_PASSWORD },
    );
    expect(profile.createLoginProfile.__typename).toBe('CreateLoginProfileSuccess');

    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'viewer', VIEWER_PASSWORD);
    await page.getByRole('link', { name: 'Users', exact: true }).click();
    const refusal = page.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/Not allowed: .*not authorized to perform iam:ListUsers/);
    await expect(page.getByRole('heading', { name: 'Users' }).isVisible()).resolves.toBe(true);

    // With read-only access the list works, and a write is refused with the action it needed.
    await dashboard.root('mutation { attachUserPolicy(input: { userName: "viewer", policyArn: "arn:aws:iam::aws:policy/IAMReadOnlyAccess" }) { __typename } }');
    await page.reload();
    await page.getByRole('table').waitFor();
    await page.getByRole('button', { name: 'Create user' }).click();
    const form = page.getByRole('form', { name: 'Create user' });
    await form.getByLabel('User name', { exact: true }).fill('mallory2');
    await form.getByRole('button', { name: 'Create' }).click();
    const denied = form.getByRole('alert');
    await denied.waitFor();
    expect(await denied.textContent()).toMatch(/Not allowed: .*not authorized to perform iam:CreateUser.*\(ACCESS_DENIED\)/);
    await dashboard.screenshot(page, 'access-denied');
    await page.close();
  });

  it('makes a user whose password must be changed change it first', async () => {
    await dashboard.root('mutation { createUser(input: { userName: "newhire" }) { __typename } }');
    await dashboard.root('mutation($p: String!) { createLoginProfile(input: { userName: "newhire", password: $p, passwordResetRequired: true }) { __typename } }', {
      p: VIEWER_PASSWORD,
    });
    // As in AWS, changing one's own password is itself an action the user must be allowed.
    await dashboard.root('mutation { attachUserPolicy(input: { userName: "newhire", policyArn: "arn:aws:iam::aws:policy/IAMUserChangePassword" }) { __typename } }');
    const page = await dashboard.browser.newPage();
    await dashboard.signOut(page);
    await page.getByLabel('Account ID or alias', { exact: true }).fill('111122223333');
    await page.getByLabel('User name', { exact: true }).fill('newhire');
    await page.getByLabel('Password', { exact: true }).fill(VIEWER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    const form = page.getByRole('form', { name: 'Change password' });
    await form.getByLabel('Current password').fill(VIEWER_PASSWORD);
    await form.getByLabel('New password', { exact: true }).fill('A-brand-new-passw0rd!');
    await form.getByLabel('Repeat the new password').fill('A-brand-new-passw0rd!');
    await form.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.close();
  });

  it('returns to sign-in when the session ends, then back to the same page', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/groups`);
    await page.getByRole('heading', { name: 'Groups' }).waitFor();
    // Revoke the session server-side, as an expiry or sign-out elsewhere would.
    // Page scripts cannot read the session (an HttpOnly cookie); the test reads it from the browser.
    const sessionToken = async (): Promise<string | undefined> =>
      (await page.context().cookies(dashboard.server.url + '/graphql')).find((cookie) => cookie.name === 'portcullis_session')?.value;
    const revoked = await dashboard.server.gql('mutation { signOut { __typename } }', {}, { authorization: `Bearer ${await sessionToken()}` });
    expect(revoked.body.data).toEqual({ signOut: { __typename: 'SignOutSuccess' } });
    await page.getByRole('link', { name: 'Roles', exact: true }).click();
    await page.getByText('Your session has ended').waitFor();
    await page.getByLabel('Account ID or alias', { exact: true }).fill('111122223333');
    await page.getByLabel('User name', { exact: true }).fill('root');
    await page.getByLabel('Password', { exact: true }).fill(ROOT_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Roles' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/roles');

    // Signing out revokes the session on the server, not only in this tab.
    const token = await sessionToken();
    expect(token).toBeDefined();
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Portcullis' }).waitFor();
    const after = await dashboard.server.gql('{ callerIdentity { arn } }', {}, { authorization: `Bearer ${token}` });
    expect(after.status).toBe(401);
    await page.close();
  });

  it('shows My security credentials, a user\'s credentials, Account data, Unused access and an Escalation tab', async () => {
    // A user with a key used just now, and a real escalation path: a policy it holds lets it write that policy's next version.
    const key = await dashboard.root<{ createAccessKey: { secretAccessKey: string; accessKey: { accessKeyId: string } } }>(
      'mutation { createAccessKey(input: { userName: "alice" }) { ... on CreateAccessKeySuccess { secretAccessKey accessKey { accessKeyId } } } }',
    );
    const { accessKeyId } = key.createAccessKey.accessKey;
    // Used through the real path: the request's first guard check is recorded (allowed or not), then flushed.
    await dashboard.server.gql('{ user(userName: "alice") { userName } }', {}, { authorization: `Basic ${Buffer.from(`${accessKeyId}:${key.createAccessKey.secretAccessKey}`).toString('base64')}` });
    await dashboard.server.running.app.authz.flushUsage();
    const lastUsed = await dashboard.root<{ accessKeyLastUsed: { actionName: string | null } }>('query($k: String!) { accessKeyLastUsed(accessKeyId: $k) { actionName } }', { k: accessKeyId });
    expect(lastUsed.accessKeyLastUsed.actionName).toBe('iam:GetUser');
    const policyArn = 'arn:aws:iam::111122223333:policy/SelfEditingTour';
    await dashboard.root('mutation($d: String!) { createPolicy(input: { policyName: "SelfEditingTour", policyDocument: $d }) { __typename } }', {
      d: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:CreatePolicyVersion', Resource: policyArn }] }),
    });
    await dashboard.root('mutation { createUser(input: { userName: "tour-escalator" }) { __typename } }');
    await dashboard.root('mutation($p: String!) { attachUserPolicy(input: { userName: "tour-escalator", policyArn: $p }) { __typename } }', { p: policyArn });

    // Old enough to be findings of Unused access (a window of 90 days): DeployRole, never used, and a key of bob's never used.
    const database = dashboard.server.running.app.database.db;
    await database.update(roles).set({ createdAt: sql`now() - interval '200 days'` }).where(eq(roles.arn, 'arn:aws:iam::111122223333:role/DeployRole'));
    const bobKey = await dashboard.root<{ createAccessKey: { accessKey: { accessKeyId: string } } }>(
      'mutation { createAccessKey(input: { userName: "bob" }) { ... on CreateAccessKeySuccess { accessKey { accessKeyId } } } }',
    );
    await database.update(accessKeys).set({ createdAt: sql`now() - interval '200 days'` }).where(eq(accessKeys.id, bobKey.createAccessKey.accessKey.accessKeyId));
    // Root's key was used by the calls above: its last use is written as the server's flusher would.
    await dashboard.server.running.app.authz.flushUsage();

    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.getByRole('link', { name: 'My security credentials' }).click();
    await page.getByRole('heading', { name: 'My security credentials' }).waitFor();
    // Root's own key, with its last use (the API calls of these tests use it).
    const rootKey = page.getByRole('table', { name: 'Access keys' }).getByRole('row').filter({ hasText: ROOT_ACCESS_KEY_ID });
    await rootKey.getByText(/\(iam:\w+\)$/).waitFor();
    await page.getByRole('heading', { name: 'Multi-factor authentication (MFA)' }).waitFor();
    await dashboard.screenshot(page, 'security-credentials');

    await page.goto(`${dashboard.server.url}/users/alice`);
    const credentials = page.getByRole('region', { name: 'Security credentials' });
    const keyRow = credentials.getByRole('table', { name: 'Access keys' }).getByRole('row').filter({ hasText: accessKeyId });
    await keyRow.getByText(/\(iam:GetUser\)$/).waitFor();
    await credentials.scrollIntoViewIfNeeded();
    await dashboard.screenshot(page, 'user-credentials-section', { viewportOnly: true });

    await page.getByRole('link', { name: 'Account data' }).click();
    await page.getByRole('heading', { name: 'Account data' }).waitFor();
    await page.getByRole('heading', { name: 'Credential report' }).waitFor();
    await dashboard.screenshot(page, 'account-data');

    await page.getByRole('link', { name: 'Unused access' }).click();
    await page.getByRole('heading', { name: 'Unused access' }).waitFor();
    const findings = page.getByRole('table', { name: 'Unused access findings' });
    await findings.getByRole('row').filter({ hasText: 'DeployRole' }).first().waitFor();
    await findings.getByRole('row').filter({ hasText: bobKey.createAccessKey.accessKey.accessKeyId }).waitFor();
    await dashboard.screenshot(page, 'unused-access');

    await page.goto(`${dashboard.server.url}/users/tour-escalator?tab=escalation`);
    await page.getByRole('heading', { name: 'New version of a policy it holds' }).waitFor();
    await dashboard.screenshot(page, 'escalation');
    await page.close();
  });

  it('labels every control, titles every page, and signs in with the keyboard alone', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signOut(page);
    // Keyboard only: the first field has focus after one Tab, Enter submits.
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.getAttribute('autocomplete'))).resolves.toBe('organization');
    // The account is remembered from the last sign-in: replace it.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('111122223333');
    await page.keyboard.press('Tab');
    await page.keyboard.type('root');
    await page.keyboard.press('Tab');
    await page.keyboard.type(ROOT_PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();

    for (const path of ['/', '/users', '/users/alice', '/users/alice?tab=what-can', '/groups', '/groups/Admins', '/roles', '/policies', '/policies/new', '/resources', '/explorer', '/activity']) {
      await page.goto(`${dashboard.server.url}${path}`);
      await page.locator('h1').first().waitFor();
      await page.waitForLoadState('networkidle');
      const problems = await page.evaluate(() => {
        const found: string[] = [];
        const named = (el: Element): boolean =>
          ((el as HTMLInputElement).labels?.length ?? 0) > 0 || el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby');
        for (const el of document.querySelectorAll('input, select, textarea')) if (!named(el)) found.push(`unlabelled ${el.outerHTML.slice(0, 80)}`);
        for (const el of document.querySelectorAll('button, a')) {
          if ((el.textContent ?? '').trim() === '' && !el.hasAttribute('aria-label')) found.push(`nameless ${el.outerHTML.slice(0, 80)}`);
        }
        if (document.querySelectorAll('h1').length !== 1) found.push(`${document.querySelectorAll('h1').length} h1 elements`);
        if (!/· Portcullis$/.test(document.title)) found.push(`title "${document.title}"`);
        return found;
      });
      expect(problems, path).toEqual([]);
    }
    await page.close();
  });

  it('works at phone width and logged no console errors', async () => {
    const page = await dashboard.browser.newPage({ width: 390, height: 844 });
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/users/alice`);
    await page.getByRole('heading', { name: 'User alice' }).waitFor();
    await page.getByRole('heading', { name: 'Attached managed policies' }).waitFor();
    // Nothing wider than the screen: no horizontal scrolling of the page itself.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await dashboard.screenshot(page, 'phone');
    await page.close();
    // The only errors allowed are the browser's notes on the 401s the session test provoked.
    const unexpected = dashboard.browser.consoleErrors.filter((e) => !/status of 401/.test(e));
    expect(unexpected).toEqual([]);
  });
});
