/**
 * Credentials in the console, end to end in Chromium at desktop and phone widths: a user manages
 * its own password, access keys and MFA from "My security credentials" under AWS's
 * self-management policy (the QR code is read with jsQR and the codes computed from it, as a
 * phone would), and the root user its own MFA; an administrator manages another user's credentials, picks groups and policies
 * from typeaheads, and deletes a user after removing what blocks it. Outcomes are checked
 * through the API, and every page visited is checked with axe.
 */
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './support/accessibility.ts';
import { CHROMIUM_PATH, chromiumAvailable } from './support/browser.ts';
import { ACCOUNT_ID, openDashboard, ROOT_PASSWORD } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';
import { consecutiveCodes, readQrCode, seedOf } from './support/totp-from-qr.ts';

if (!chromiumAvailable) console.warn(`credentials browser tests skipped: ${CHROMIUM_PATH} is not installed`);

const PASSWORD = 'Self-service-password-1!';

/**
 * AWS's "manage your own credentials" policy (IAM User Guide, "Allows IAM users to manage their
 * own credentials on the Security credentials page"), without its MFA condition.
 */
const SELF_MANAGE = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    { Sid: 'AllowViewAccountInfo', Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy', 'iam:ListVirtualMFADevices'], Resource: '*' },
    {
      Sid: 'AllowManageOwnPasswordsAndKeys',
      Effect: 'Allow',
      Action: [
        'iam:ChangePassword',
        'iam:GetUser',
        'iam:GetLoginProfile',
        'iam:CreateAccessKey',
        'iam:DeleteAccessKey',
        'iam:ListAccessKeys',
        'iam:UpdateAccessKey',
        'iam:GetAccessKeyLastUsed',
      ],
      Resource: 'arn:aws:iam::*:user/${aws:username}',
    },
    { Sid: 'AllowManageOwnVirtualMFADevice', Effect: 'Allow', Action: ['iam:CreateVirtualMFADevice', 'iam:DeleteVirtualMFADevice'], Resource: 'arn:aws:iam::*:mfa/${aws:username}' },
    {
      Sid: 'AllowManageOwnUserMFA',
      Effect: 'Allow',
      Action: ['iam:DeactivateMFADevice', 'iam:EnableMFADevice', 'iam:ListMFADevices', 'iam:ResyncMFADevice'],
      Resource: 'arn:aws:iam::*:user/${aws:username}',
    },
  ],
});

const WIDTHS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 390, height: 844 },
] as const;

describe.skipIf(!chromiumAvailable)('credentials in the console', { timeout: 180_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  /** Creates a user with a console password and, optionally, an inline policy. */
  async function createUser(userName: string, policy?: string): Promise<void> {
    const created = await dashboard.root<{ createUser: { __typename: string } }>('mutation($u: String!) { createUser(input: { userName: $u }) { __typename } }', { u: userName });
    expect(created.createUser.__typename).toBe('CreateUserSuccess');
    const profile = await dashboard.root<{ createLoginProfile: { __typename: string } }>(
      'mutation($u: String!, $p: String!) { createLoginProfile(input: { userName: $u, password: $p }) { __typename } }',
      { u: userName, p: PASSWORD },
    );
    expect(profile.createLoginProfile.__typename).toBe('CreateLoginProfileSuccess');
    if (policy === undefined) return;
    const put = await dashboard.root<{ putUserPolicy: { __typename: string } }>(
      'mutation($u: String!, $d: String!) { putUserPolicy(input: { userName: $u, policyName: "SelfManage", policyDocument: $d }) { __typename } }',
      { u: userName, d: policy },
    );
    expect(put.putUserPolicy.__typename).toBe('PutUserPolicySuccess');
  }

  /** The user's credentials as the API reports them to root. */
  async function credentialsOf(userName: string) {
    return dashboard.root<{
      user: { accessKeys: { accessKeyId: string; status: string }[]; mfaDevices: { serialNumber: string }[]; loginProfile: { passwordResetRequired: boolean } | null } | null;
    }>('query($u: String!) { user(userName: $u) { accessKeys { accessKeyId status } mfaDevices { serialNumber } loginProfile { passwordResetRequired } } }', { u: userName });
  }

  /**
   * Notes the API's answers to the page. The function returned awaits a step and, should it fail,
   * adds the page's text and those answers to the error (a wait for a message says only that it
   * did not come).
   */
  function witness(page: Page): (step: Promise<void>) => Promise<void> {
    const answers: string[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname !== '/graphql') return;
      void response.text().then(
        (body) => answers.push(`${response.status()} ${body.slice(0, 400)}`),
        () => {},
      );
    });
    return (step) =>
      step.catch(async (error: Error) => {
        const shown = await page.locator('body').innerText().catch(() => '(gone)');
        throw new Error(`${error.message}\nthe page showed:\n${shown}\nthe API answered:\n${answers.join('\n')}`);
      });
  }

  async function openOwnCredentials(page: Page): Promise<void> {
    await page.getByRole('link', { name: 'My security credentials' }).click();
    await page.getByRole('heading', { name: 'My security credentials' }).waitFor();
    await page.getByRole('heading', { name: 'Multi-factor authentication (MFA)' }).waitFor();
  }

  for (const size of WIDTHS) {
    it(`a user manages their own MFA and access keys from My security credentials (${size.name})`, async () => {
      const userName = `self-${size.name}`;
      await createUser(userName, SELF_MANAGE);
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, userName, PASSWORD);
      await openOwnCredentials(page);
      await expectAccessible(page, `My security credentials (${size.name})`);

      // MFA: name the device (the user's name, as the policy requires), scan, type two codes.
      await page.getByRole('button', { name: 'Assign MFA device' }).click();
      await expect(page.getByLabel('Device name').inputValue()).resolves.toBe(userName);
      await page.getByRole('button', { name: 'Next' }).click();
      const qr = page.getByRole('img', { name: /QR code for MFA device/ });
      await qr.waitFor();
      const uri = await readQrCode(qr);
      expect(uri).toMatch(/^otpauth:\/\/totp\//);
      const seed = seedOf(uri);
      // The secret key shown for typing by hand is the one in the QR code.
      await page.getByRole('button', { name: 'Show secret key' }).click();
      await expect(page.getByTestId('mfa-seed').textContent()).resolves.toBe(seed);
      await expectAccessible(page, `MFA assignment (${size.name})`);
      if (size.name === 'desktop') await dashboard.screenshot(page, 'security-credentials-mfa');

      // Wrong codes are refused with the API's explanation and enable nothing.
      await page.getByLabel('MFA code 1').fill('000000');
      await page.getByLabel('MFA code 2').fill('000001');
      await page.getByRole('button', { name: 'Add MFA' }).click();
      await page.getByRole('alert').first().waitFor();
      expect((await credentialsOf(userName)).user?.mfaDevices).toEqual([]);

      const [code1, code2] = consecutiveCodes(seed);
      await page.getByLabel('MFA code 1').fill(code1);
      await page.getByLabel('MFA code 2').fill(code2);
      await page.getByRole('button', { name: 'Add MFA' }).click();
      await page.getByText(/Enabled MFA device/).waitFor();
      const serialNumber = `arn:aws:iam::${ACCOUNT_ID}:mfa/${userName}`;
      expect((await credentialsOf(userName)).user?.mfaDevices).toEqual([{ serialNumber }]);
      await page.getByRole('list', { name: 'MFA devices' }).getByText(serialNumber).waitFor();

      // Access key: the secret is shown once, downloadable as AWS's CSV, and it authenticates.
      await page.getByRole('button', { name: 'Create access key' }).click();
      await page.getByRole('heading', { name: 'Access key created' }).waitFor();
      await page.getByRole('button', { name: 'Show', exact: true }).click();
      const secret = (await page.getByTestId('secret-access-key').textContent()) ?? '';
      expect(secret).toHaveLength(40);
      const keys = (await credentialsOf(userName)).user?.accessKeys ?? [];
      expect(keys).toHaveLength(1);
      const accessKeyId = keys[0]!.accessKeyId;
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download .csv file' }).click()]);
      expect(download.suggestedFilename()).toBe(`${userName}_accessKeys.csv`);
      const csv = await readFile((await download.path()) ?? '', 'utf8');
      expect(csv).toBe(`Access key ID,Secret access key\r\n${accessKeyId},${secret}\r\n`);
      const basic = `Basic ${Buffer.from(`${accessKeyId}:${secret}`).toString('base64')}`;
      const identity = await dashboard.server.gql<{ callerIdentity: { arn: string } }>('{ callerIdentity { arn } }', undefined, { authorization: basic });
      expect(identity.body.data?.callerIdentity.arn).toBe(`arn:aws:iam::${ACCOUNT_ID}:user/${userName}`);
      await page.getByRole('button', { name: 'Done' }).click();
      expect(await page.getByTestId('secret-access-key').count()).toBe(0);

      // Deactivate, then delete: the key stops authenticating, then is gone.
      await page.getByRole('button', { name: `Deactivate ${accessKeyId}` }).click();
      await page.getByRole('button', { name: `Activate ${accessKeyId}` }).waitFor();
      // Polled: on PostgreSQL, root's read through User.accessKeys was seen to lag the UI's write
      // (the caller's own accessKeys list already showed it inactive).
      await expect.poll(async () => (await credentialsOf(userName)).user?.accessKeys).toEqual([{ accessKeyId, status: 'INACTIVE' }]);
      await expect.poll(async () => (await dashboard.server.gql('{ callerIdentity { arn } }', undefined, { authorization: basic })).status).toBe(401);
      await page.getByRole('button', { name: `Delete ${accessKeyId}` }).click();
      await page.getByRole('button', { name: `Confirm deleting ${accessKeyId}` }).click();
      await page.getByText(`Deleted ${accessKeyId}`).waitFor();
      expect((await credentialsOf(userName)).user?.accessKeys).toEqual([]);

      // Remove the MFA device: deactivated and deleted.
      await page.getByRole('button', { name: `Remove MFA device ${serialNumber}` }).click();
      await page.getByText(`Removed ${serialNumber}`).waitFor();
      expect((await credentialsOf(userName)).user?.mfaDevices).toEqual([]);
      const unassigned = await dashboard.root<{ virtualMFADevices: { edges: { node: { serialNumber: string } }[] } }>(
        '{ virtualMFADevices(assignmentStatus: ANY) { edges { node { serialNumber } } } }',
      );
      expect(unassigned.virtualMFADevices.edges.map((e) => e.node.serialNumber)).not.toContain(serialNumber);
      await expectAccessible(page, `My security credentials after changes (${size.name})`);
      await page.close();
    });
  }

  for (const size of WIDTHS) {
    it(`the root user assigns and removes its own MFA device from My security credentials (${size.name})`, async () => {
      const ownDevices = async () =>
        (await dashboard.root<{ mfaDevices: { serialNumber: string; userName: string | null }[] }>('{ mfaDevices { serialNumber userName } }')).mfaDevices;
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      // One CI run (2026-12-08) timed out waiting for "Enabled MFA device" and could not say why.
      const shown = witness(page);
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      await openOwnCredentials(page);
      await page.getByRole('button', { name: 'Assign MFA device' }).click();
      await expect(page.getByLabel('Device name').inputValue()).resolves.toBe('root');
      await page.getByRole('button', { name: 'Next' }).click();
      const qr = page.getByRole('img', { name: /QR code for MFA device/ });
      await shown(qr.waitFor());
      const [code1, code2] = consecutiveCodes(seedOf(await readQrCode(qr)));
      await page.getByLabel('MFA code 1').fill(code1);
      await page.getByLabel('MFA code 2').fill(code2);
      await page.getByRole('button', { name: 'Add MFA' }).click();
      await shown(page.getByText(/Enabled MFA device/).waitFor());
      const serialNumber = `arn:aws:iam::${ACCOUNT_ID}:mfa/root`;
      expect(await ownDevices()).toEqual([{ serialNumber, userName: 'root' }]);
      // Removed again, so the other tests' root sign-ins need no code.
      await page.getByRole('button', { name: `Remove MFA device ${serialNumber}` }).click();
      await page.getByText(`Removed ${serialNumber}`).waitFor();
      expect(await ownDevices()).toEqual([]);
      await page.close();
    });
  }

  for (const size of WIDTHS) {
    it(`a user without the self-management policy sees each refusal, and cannot create an MFA device (${size.name})`, async () => {
      await createUser(`no-self-service-${size.name}`);
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, `no-self-service-${size.name}`, PASSWORD);
      await openOwnCredentials(page);
      await page.getByText(/iam:ListAccessKeys/).waitFor();
      await page.getByText(/iam:ListMFADevices/).waitFor();
      expect(await page.getByRole('button', { name: 'Assign MFA device' }).count()).toBe(0);
      await expectAccessible(page, `My security credentials without permissions (${size.name})`);
      await page.close();
    });
  }

  for (const size of WIDTHS) {
    it(`an administrator manages a user's password and keys, picks a group and a policy, and deletes the user with what blocks it (${size.name})`, async () => {
      const userName = `managed-${size.name}`;
      await dashboard.root('mutation($u: String!) { createUser(input: { userName: $u }) { __typename } }', { u: userName });
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      await page.goto(`${dashboard.server.url}/users/${userName}`);
      await page.getByRole('heading', { name: 'Security credentials' }).waitFor();

      // Password: set with "must change at next sign-in", reset without it, removed, and set again.
      await page.getByLabel('Password', { exact: true }).fill('Set-by-admin-password-1!');
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByText(/Set the console password/).waitFor();
      expect((await credentialsOf(userName)).user?.loginProfile).toEqual({ passwordResetRequired: true });
      await page.getByLabel('New password', { exact: true }).fill('Reset-by-admin-password-2!');
      await page.getByLabel('Must change at next sign-in').uncheck();
      await page.getByRole('button', { name: 'Reset password' }).click();
      await page.getByText(/Reset the console password/).waitFor();
      expect((await credentialsOf(userName)).user?.loginProfile).toEqual({ passwordResetRequired: false });
      await page.getByRole('button', { name: 'Remove password…' }).click();
      await page.getByRole('button', { name: 'Remove password', exact: true }).click();
      await page.getByText(/Removed the console password/).waitFor();
      expect((await credentialsOf(userName)).user?.loginProfile).toBeNull();
      await page.getByText('Not set: this user cannot sign in to the console.').waitFor();
      await page.getByLabel('Password', { exact: true }).fill('Set-by-admin-password-3!');
      await page.getByLabel('Must change at next sign-in').check();
      await page.getByRole('button', { name: 'Set password' }).click();
      await page.getByText(/Set the console password/).waitFor();
      expect((await credentialsOf(userName)).user?.loginProfile).toEqual({ passwordResetRequired: true });

      // Access key for the user: its secret copied to the clipboard, then gone once done.
      await dashboard.browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: dashboard.server.url });
      await page.getByRole('button', { name: 'Create access key' }).click();
      await page.getByRole('heading', { name: 'Access key created' }).waitFor();
      await page.getByRole('button', { name: 'Show', exact: true }).click();
      const secret = (await page.getByTestId('secret-access-key').textContent()) ?? '';
      await page.getByRole('button', { name: 'Copy secret' }).click();
      await page.getByText('Copied the secret access key.').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
      await page.getByRole('button', { name: 'Done' }).click();
      expect(await page.getByTestId('secret-access-key').count()).toBe(0);
      const created = (await credentialsOf(userName)).user?.accessKeys ?? [];
      expect(created).toHaveLength(1);
      // Never used yet, and the table says so; a use through the API shows as its last use.
      const keyRow = page.getByRole('region', { name: 'Security credentials' }).getByRole('table', { name: 'Access keys' }).getByRole('row').filter({ hasText: created[0]!.accessKeyId });
      await keyRow.getByText('Never', { exact: true }).waitFor();
      const basic = `Basic ${Buffer.from(`${created[0]!.accessKeyId}:${secret}`).toString('base64')}`;
      // Used through the real path: the request's first guard check is recorded (allowed or not), then flushed.
      await dashboard.server.gql('query($u: String!) { user(userName: $u) { userName } }', { u: userName }, { authorization: basic });
      await dashboard.server.running.app.authz.flushUsage();
      await page.reload();
      await keyRow.getByText(/\(iam:GetUser\)$/).waitFor();

      // Group picker: type part of a name, choose with the keyboard.
      const groups = await dashboard.root<{ groups: { edges: { node: { groupName: string } }[] } }>('{ groups(first: 5) { edges { node { groupName } } } }');
      const groupName = groups.groups.edges[0]!.node.groupName;
      const groupField = page.getByRole('combobox', { name: 'Add to group' });
      await groupField.fill(groupName.slice(0, 3));
      await page.getByRole('listbox', { name: 'Add to group suggestions' }).getByRole('option', { name: new RegExp(groupName) }).first().waitFor();
      await page.getByRole('option', { name: new RegExp(`^${groupName} `) }).click();
      await expect(groupField.inputValue()).resolves.toBe(groupName);
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByText(`Added ${userName} to ${groupName}`).waitFor();

      // Policy picker: by name, never a typed ARN.
      const policyField = page.getByRole('combobox', { name: /Attach policy/ });
      await policyField.fill('readonly');
      await page.getByRole('option', { name: /^ReadOnlyAccess / }).click();
      await expect(policyField.inputValue()).resolves.toBe('arn:aws:iam::aws:policy/ReadOnlyAccess');
      await page.getByRole('button', { name: 'Attach', exact: true }).click();
      await page.getByText(/Attached arn:aws:iam::aws:policy\/ReadOnlyAccess/).waitFor();
      await expectAccessible(page, `user page with credentials (${size.name})`);
      if (size.name === 'desktop') await dashboard.screenshot(page, 'user-credentials');

      // Delete: the confirmation lists every blocker before anything is removed.
      await page.getByRole('button', { name: 'Delete user…' }).click();
      const listed = page.getByRole('list', { name: 'Removed before deleting' });
      await listed.waitFor();
      const items = await listed.getByRole('listitem').allTextContents();
      expect(items).toEqual([`Membership of group ${groupName}`, 'Attached policy ReadOnlyAccess', expect.stringMatching(/^Access key AKIA/), 'Console password']);
      expect((await credentialsOf(userName)).user).not.toBeNull();
      await expectAccessible(page, `delete user confirmation (${size.name})`);
      if (size.name === 'desktop') {
        await page.getByRole('heading', { name: 'Delete user' }).scrollIntoViewIfNeeded();
        await dashboard.screenshot(page, 'delete-user', { viewportOnly: true });
      }
      await page.getByLabel(`Type “${userName}” to confirm`).fill(userName);
      await page.getByRole('button', { name: 'Remove 4 and delete' }).click();
      await page.getByRole('heading', { name: 'Users' }).waitFor();
      expect((await credentialsOf(userName)).user).toBeNull();
      await page.close();
    });
  }

  for (const size of WIDTHS) {
    it(`attaches a policy from its own page and adds a member from the group page, through the pickers (${size.name})`, async () => {
      const member = `picked-member-${size.name}`;
      const group = `picker-group-${size.name}`;
      await dashboard.root('mutation($u: String!) { createUser(input: { userName: $u }) { __typename } }', { u: member });
      await dashboard.root('mutation($g: String!) { createGroup(input: { groupName: $g }) { __typename } }', { g: group });
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);

      await page.goto(`${dashboard.server.url}/groups/${group}`);
      const userField = page.getByRole('combobox', { name: 'Add user' });
      await userField.fill('picked-mem');
      await page.getByRole('option', { name: new RegExp(`^${member} `) }).click();
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await page.getByRole('list', { name: `Members of ${group}` }).getByRole('link', { name: member }).waitFor();
      await expectAccessible(page, `group page with members (${size.name})`);

      await page.goto(`${dashboard.server.url}/policies/${encodeURIComponent('arn:aws:iam::aws:policy/IAMReadOnlyAccess')}`);
      await page.getByLabel('Attach to a').selectOption('group');
      const groupField = page.getByRole('combobox', { name: 'Group name' });
      await groupField.fill('picker-g');
      await page.getByRole('option', { name: new RegExp(`^${group} `) }).click();
      await page.getByRole('button', { name: 'Attach', exact: true }).click();
      await page.getByText(`Attached IAMReadOnlyAccess to group ${group}`).waitFor();
      const attached = await dashboard.root<{ group: { attachedPolicies: { policyName: string }[] } }>('query($g: String!) { group(groupName: $g) { attachedPolicies { policyName } } }', { g: group });
      expect(attached.group.attachedPolicies.map((p) => p.policyName)).toEqual(['IAMReadOnlyAccess']);
      await expectAccessible(page, `policy page with attach form (${size.name})`);
      await page.close();
    });
  }
});

describe.skipIf(!chromiumAvailable)('editing a role in place', { timeout: 180_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  const trust = (service: string) =>
    JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] }, null, 2);

  /** The role as the API reports it to root. */
  async function roleOf(roleName: string) {
    const data = await dashboard.root<{ role: { assumeRolePolicyDocument: string; tags: { key: string; value: string }[]; permissionsBoundary: { policyName: string } | null } }>(
      'query($r: String!) { role(roleName: $r) { assumeRolePolicyDocument tags { key value } permissionsBoundary { policyName } } }',
      { r: roleName },
    );
    return data.role;
  }

  for (const size of WIDTHS) {
    it(`edits a role's trust policy, tags and permissions boundary (${size.name})`, async () => {
      const roleName = `edited-${size.name}`;
      await dashboard.root('mutation($r: String!, $t: String!) { createRole(input: { roleName: $r, assumeRolePolicyDocument: $t }) { __typename } }', {
        r: roleName,
        t: trust('ec2.amazonaws.com'),
      });
      const page = await dashboard.browser.newPage({ width: size.width, height: size.height });
      await dashboard.signIn(page, 'root', ROOT_PASSWORD);
      await page.goto(`${dashboard.server.url}/roles/${roleName}`);
      // The default maximum session, worded as people say it (not "1 hours").
      const maximumSession = page.locator('dt', { hasText: 'Maximum session' }).locator('xpath=following-sibling::dd[1]');
      await expect(maximumSession.textContent()).resolves.toBe('1 hour');

      // Trust policy: edited in the policy editor, saved with UpdateAssumeRolePolicy.
      await page.getByRole('button', { name: 'Edit trust policy' }).click();
      await page.getByLabel('Trust policy document').fill(trust('lambda.amazonaws.com'));
      await page.getByRole('button', { name: 'Save trust policy' }).click();
      await page.getByText(/Saved the trust policy/).waitFor();
      expect(JSON.parse((await roleOf(roleName)).assumeRolePolicyDocument)).toEqual(JSON.parse(trust('lambda.amazonaws.com')));

      // Tags: add two, remove one.
      await page.getByLabel('Add or change tags').fill('team=finance, stage=prod');
      await page.getByRole('button', { name: 'Save tags' }).click();
      await page.getByText(/Tagged with team, stage/).waitFor();
      await page.getByRole('button', { name: 'Remove tag stage' }).click();
      await page.getByText(/Removed the tag stage/).waitFor();
      expect((await roleOf(roleName)).tags).toEqual([{ key: 'team', value: 'finance' }]);

      // Boundary: picked by name, then removed.
      const boundaryField = page.getByRole('combobox', { name: 'Set boundary' });
      await boundaryField.fill('PowerUser');
      await page.getByRole('option', { name: /^PowerUserAccess / }).click();
      await page.getByRole('button', { name: 'Set', exact: true }).click();
      await page.getByText(/Set the permissions boundary/).waitFor();
      expect((await roleOf(roleName)).permissionsBoundary).toEqual({ policyName: 'PowerUserAccess' });
      await expectAccessible(page, `role page after edits (${size.name})`);
      await page.getByRole('button', { name: 'Remove boundary' }).click();
      await page.getByText(/Removed the permissions boundary/).waitFor();
      expect((await roleOf(roleName)).permissionsBoundary).toBeNull();
      await page.close();
    });
  }
});
