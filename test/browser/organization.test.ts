/**
 * The Organization page end to end against a real server, as root of the management account:
 * create an OU and an account, move the account into the OU, create an SCP denying s3:* (after a
 * refused one with a Principal), attach it to the OU and see it there and in the account's
 * effective guardrails, detach it (and the last SCP, with the server's warning), refuse to close
 * the management account and to delete a non-empty OU, move the account back and delete the OU.
 * A user of the management account without organizations permissions sees what it is missing,
 * a member account's user is told the organization is managed from the management account, and
 * the page fits a phone's width. Every outcome is checked through the API as well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { ACCOUNT_ID, openDashboard, ROOT_PASSWORD } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';

const DENY_S3 = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoS3', Effect: 'Deny', Action: 's3:*', Resource: '*' }] }, null, 2);
const WITH_PRINCIPAL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: '*' }] }, null, 2);
const USER_PASSWORD = 'No-org-password-for-tests-1';

/** The selected node's panel. */
const selected = (page: Page) => page.locator('section[aria-labelledby="org-selected-title"]');

/** Chooses a node of the tree by its button's label, waiting for its panel. */
async function choose(page: Page, label: string): Promise<void> {
  await page.getByRole('list', { name: 'Organization structure' }).getByRole('button', { name: label, exact: true }).click();
  await selected(page).getByRole('heading', { name: label, exact: true }).waitFor();
}

describe.skipIf(!chromiumAvailable)('the Organization page', { timeout: 180_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
    const user = await dashboard.root<{ createUser: { __typename: string } }>('mutation { createUser(input: { userName: "noorg" }) { __typename } }');
    expect(user.createUser.__typename).toBe('CreateUserSuccess');
    const profile = await dashboard.root<{ createLoginProfile: { __typename: string } }>(
      'mutation($p: String!) { createLoginProfile(input: { userName: "noorg", password: $p }) { __typename } }',
      { p: USER_PASSWORD },
    );
    expect(profile.createLoginProfile.__typename).toBe('CreateLoginProfileSuccess');
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  it('builds a tree, guards an OU with an SCP, and takes it apart again', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.getByRole('link', { name: 'Organization', exact: true }).click();
    await page.getByRole('heading', { name: 'Organization', level: 1 }).waitFor();
    const tree = page.getByRole('list', { name: 'Organization structure' });
    await tree.getByRole('button', { name: 'Root Root' }).waitFor();
    await selected(page).getByRole('heading', { name: 'Root Root' }).waitFor();

    // An OU under the root.
    const createUnit = page.getByRole('form', { name: 'Create OU under Root' });
    await createUnit.getByLabel('OU name').fill('Workloads');
    await createUnit.getByRole('button', { name: 'Create OU' }).click();
    await selected(page).getByRole('heading', { name: 'OU Workloads' }).waitFor();
    const roots = await dashboard.root<{ organizationRoots: Array<{ id: string }> }>('{ organizationRoots { id } }');
    const rootId = roots.organizationRoots[0]!.id;
    const units = await dashboard.root<{ organizationalUnitsForParent: { items: Array<{ id: string; name: string }> } }>(
      'query($p: String!) { organizationalUnitsForParent(parentId: $p) { items { id name } } }',
      { p: rootId },
    );
    const unit = units.organizationalUnitsForParent.items.find((u) => u.name === 'Workloads');
    expect(unit).toBeDefined();
    const unitId = unit!.id;

    // An account, created under the root, then moved into the OU.
    await choose(page, 'Root Root');
    const createAccount = page.getByRole('form', { name: 'Create account' });
    await createAccount.getByLabel('Account name').fill('Sandbox');
    await createAccount.getByLabel('Email').fill('sandbox@example.com');
    // Tags that do not parse are refused beside their field, and nothing is created.
    await createAccount.getByLabel('Tags').fill('cost-center');
    await createAccount.getByRole('button', { name: 'Create account' }).click();
    await createAccount.getByText('write each tag as key=value; “cost-center” has no key').waitFor();
    await createAccount.getByLabel('Tags').fill('cost-center=42');
    await createAccount.getByRole('button', { name: 'Create account' }).click();
    await selected(page).getByRole('heading', { name: 'Account Sandbox' }).waitFor();
    const accounts = await dashboard.root<{ organizationAccounts: { items: Array<{ id: string; name: string | null; email: string; state: string }> } }>(
      '{ organizationAccounts { items { id name email state } } }',
    );
    expect(accounts.organizationAccounts.items.filter((a) => a.name === 'Sandbox')).toHaveLength(1);
    const sandbox = accounts.organizationAccounts.items.find((a) => a.name === 'Sandbox');
    expect(sandbox).toMatchObject({ email: 'sandbox@example.com', state: 'ACTIVE' });
    const sandboxId = sandbox!.id;
    expect(await tree.textContent()).toContain(sandboxId);

    const move = page.getByRole('form', { name: 'Move account Sandbox' });
    await move.getByLabel('Move to').selectOption(unitId);
    await move.getByRole('button', { name: 'Move account' }).click();
    await selected(page).getByText('Now under Workloads').waitFor();
    const parents = async () =>
      (await dashboard.root<{ organizationParents: Array<{ id: string }> }>('query($c: String!) { organizationParents(childId: $c) { id } }', { c: sandboxId }))
        .organizationParents[0]!.id;
    expect(await parents()).toBe(unitId);

    // Tags on the account: the one it was created with (CreateAccount's Tags), more added
    // (TagResource), shown in its panel and through the API, then one removed.
    const tagsPanel = selected(page).locator('section[aria-labelledby="resource-tags"]');
    await tagsPanel.getByRole('list', { name: 'Tags' }).getByText('cost-center = 42').waitFor();
    await tagsPanel.getByLabel('Add or change tags').fill('team=platform, stage=dev');
    await tagsPanel.getByRole('button', { name: 'Save tags' }).click();
    await tagsPanel.getByRole('list', { name: 'Tags' }).getByText('team = platform').waitFor();
    await tagsPanel.getByRole('button', { name: 'Remove tag stage' }).click();
    await tagsPanel.getByText(/Removed the tag stage/).waitFor();
    const tagged = await dashboard.root<{ organizationResourceTags: Array<{ key: string; value: string }> }>(
      'query($a: String!) { organizationResourceTags(resourceId: $a) { key value } }',
      { a: sandboxId },
    );
    expect(tagged.organizationResourceTags).toEqual([
      { key: 'cost-center', value: '42' },
      { key: 'team', value: 'platform' },
    ]);

    // An SCP: a Principal is refused by the server on the document field; then DenyS3 is created.
    await page.getByRole('tab', { name: 'Policies' }).click();
    await page.getByRole('button', { name: 'Create policy' }).click();
    const form = page.getByRole('form', { name: 'Create organization policy' });
    await form.getByLabel('Policy name').fill('DenyS3');
    await form.getByLabel('Policy document').fill(WITH_PRINCIPAL);
    await form.getByRole('button', { name: 'Save policy' }).click();
    const documentError = form.locator('.field-error');
    await documentError.waitFor();
    expect(await documentError.textContent()).toMatch(/Principal/);
    await form.getByLabel('Policy document').fill(DENY_S3);
    await form.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved the new policy' }).waitFor();
    const scps = page.getByRole('table', { name: 'Service control policies (SCPs)' });
    await scps.getByRole('cell', { name: /^DenyS3/ }).waitFor();
    const listed = await dashboard.root<{ organizationPolicies: { items: Array<{ id: string; name: string; content: string }> } }>(
      '{ organizationPolicies(filter: SERVICE_CONTROL_POLICY) { items { id name content } } }',
    );
    const denyS3 = listed.organizationPolicies.items.find((p) => p.name === 'DenyS3');
    expect(JSON.parse(denyS3!.content)).toEqual(JSON.parse(DENY_S3));

    // Edited in the same editor: a new description is version 2.
    await page.getByRole('button', { name: 'Edit DenyS3' }).click();
    const edit = page.getByRole('form', { name: 'Edit DenyS3' });
    expect(JSON.parse(await edit.getByLabel('Policy document').inputValue())).toEqual(JSON.parse(DENY_S3));
    await edit.getByLabel(/^Description/).fill('No S3 at all');
    await edit.getByRole('button', { name: 'Save policy' }).click();
    await scps.getByRole('cell', { name: 'No S3 at all' }).waitFor();
    const edited = await dashboard.root<{ organizationPolicy: { description: string } }>('query($p: String!) { organizationPolicy(policyId: $p) { description } }', {
      p: denyS3!.id,
    });
    expect(edited.organizationPolicy.description).toBe('No S3 at all');

    // Attached to the OU: shown under the OU in the tree and in the account's guardrails.
    await page.getByRole('tab', { name: 'Structure' }).click();
    await choose(page, 'OU Workloads');
    const attach = page.getByRole('form', { name: 'Attach a policy to Workloads' });
    await attach.getByLabel('Policy to attach').selectOption(denyS3!.id);
    await attach.getByRole('button', { name: 'Attach' }).click();
    await selected(page).getByRole('list', { name: 'Policies attached to Workloads' }).getByText('DenyS3').waitFor();
    const unitRow = tree.locator('.org-node').filter({ hasText: unitId });
    await unitRow.getByText('SCPs: DenyS3, FullAWSAccess', { exact: true }).waitFor();
    await choose(page, 'Account Sandbox');
    const scpLevels = page.getByRole('list', { name: 'SCP levels' });
    await scpLevels.getByText('DenyS3').waitFor();
    await dashboard.screenshot(page, 'organization', { viewportOnly: true });
    expect((await scpLevels.getByRole('listitem').allTextContents()).map((t) => t.replace(/\s+/g, ' '))).toEqual([
      'Root Root: FullAWSAccess',
      'OU Workloads: DenyS3, FullAWSAccess',
      'Account Sandbox: FullAWSAccess',
    ]);

    // Detached: DenyS3 quietly; then the OU's last SCP, with the server's warning.
    await choose(page, 'OU Workloads');
    await selected(page).getByRole('button', { name: 'Detach DenyS3' }).click();
    await unitRow.getByText('SCPs: FullAWSAccess', { exact: true }).waitFor();
    expect(await selected(page).locator('.notice.warn').count()).toBe(0);
    await selected(page).getByRole('button', { name: 'Detach FullAWSAccess' }).click();
    const warning = selected(page).locator('.notice.warn');
    await warning.waitFor();
    expect(await warning.textContent()).toMatch(/Warning/);
    const attachBack = page.getByRole('form', { name: 'Attach a policy to Workloads' });
    await attachBack.getByLabel('Policy to attach').selectOption('p-FullAWSAccess');
    await attachBack.getByRole('button', { name: 'Attach' }).click();
    await unitRow.getByText('SCPs: FullAWSAccess', { exact: true }).waitFor();
    const onUnit = await dashboard.root<{ organizationPoliciesForTarget: { items: Array<{ name: string }> } }>(
      'query($t: String!) { organizationPoliciesForTarget(targetId: $t, filter: SERVICE_CONTROL_POLICY) { items { name } } }',
      { t: unitId },
    );
    expect(onUnit.organizationPoliciesForTarget.items.map((p) => p.name)).toEqual(['FullAWSAccess']);

    // Refusals: a non-empty OU is not deleted; the management account is not closed.
    await selected(page).getByRole('button', { name: 'Delete OU Workloads' }).click();
    await selected(page).getByRole('alert').filter({ hasText: /DELETE_CONFLICT|not empty|contains/i }).waitFor();
    // The management account may have no name: the page names it by its id then.
    const management = accounts.organizationAccounts.items.find((a) => a.id === ACCOUNT_ID)!;
    const managementName = management.name ?? ACCOUNT_ID;
    await choose(page, `Account ${managementName}`);
    await selected(page).getByRole('button', { name: 'Close account…' }).click();
    await selected(page).getByText(`Close account ${managementName} (${ACCOUNT_ID})?`).waitFor();
    await selected(page).getByRole('button', { name: `Close ${managementName}` }).click();
    const refusal = selected(page).getByRole('alert').filter({ hasText: /management account/ });
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/cannot be closed/);

    // The account back under the root; the empty OU deleted.
    await choose(page, 'Account Sandbox');
    const moveBack = page.getByRole('form', { name: 'Move account Sandbox' });
    await moveBack.getByLabel('Move to').selectOption(rootId);
    await moveBack.getByRole('button', { name: 'Move account' }).click();
    await selected(page).getByText('Now under Root').waitFor();
    expect(await parents()).toBe(rootId);
    await choose(page, 'OU Workloads');
    await selected(page).getByRole('button', { name: 'Delete OU Workloads' }).click();
    await selected(page).getByRole('heading', { name: 'Root Root' }).waitFor();
    await tree.getByRole('button', { name: 'OU Workloads' }).waitFor({ state: 'detached' });
    const gone = await dashboard.root<{ organizationalUnit: unknown }>('query($o: String!) { organizationalUnit(organizationalUnitId: $o) { id } }', { o: unitId });
    expect(gone.organizationalUnit).toBeNull();
    await page.close();
  });

  it('disables RCPs after a confirmation and enables them again from the Policies tab', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/organization`);
    await page.getByRole('tab', { name: 'Policies' }).click();
    const policyTypes = async () =>
      (await dashboard.root<{ organizationRoots: Array<{ policyTypes: Array<{ type: string }>; policies: Array<{ id: string }> }> }>('{ organizationRoots { policyTypes { type } policies { id } } }'))
        .organizationRoots[0]!;

    await page.getByRole('button', { name: 'Disable RCPs…' }).click();
    const confirm = page.getByRole('group', { name: 'Disable RCPs' });
    await confirm.getByText(/Every one is detached/).waitFor();
    await confirm.getByRole('button', { name: 'Disable RCPs' }).click();
    await page.getByRole('status').filter({ hasText: 'Disabled RCPs.' }).waitFor();
    await page.getByRole('button', { name: 'Enable RCPs' }).waitFor();
    const disabled = await policyTypes();
    expect(disabled.policyTypes).toEqual([{ type: 'SERVICE_CONTROL_POLICY' }]);
    expect(disabled.policies.map((p) => p.id)).toEqual(['p-FullAWSAccess']);

    await page.getByRole('button', { name: 'Enable RCPs' }).click();
    await page.getByRole('status').filter({ hasText: /^Enabled RCPs/ }).waitFor();
    await page.getByRole('button', { name: 'Disable RCPs…' }).waitFor();
    const enabled = await policyTypes();
    expect(enabled.policyTypes.map((t) => t.type).sort()).toEqual(['RESOURCE_CONTROL_POLICY', 'SERVICE_CONTROL_POLICY']);
    expect(enabled.policies.map((p) => p.id).sort()).toEqual(['p-FullAWSAccess', 'p-RCPFullAWSAccess']);
    await page.close();
  });

  it('fits a phone: the tree stacks over the panel without sideways scrolling', async () => {
    const page = await dashboard.browser.newPage({ width: 390, height: 844 });
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/organization`);
    await page.getByRole('list', { name: 'Organization structure' }).waitFor();
    await selected(page).getByRole('form', { name: 'Create account' }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await dashboard.screenshot(page, 'organization-phone', { viewportOnly: true });
    await page.close();
  });

  it('tells a user without organizations permissions what it is missing', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'noorg', USER_PASSWORD);
    await page.goto(`${dashboard.server.url}/organization`);
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/ACCESS_DENIED/);
    expect(await alert.locator('[data-missing-permission]').textContent()).toMatch(/^organizations:/);
    await page.close();
  });

  it("tells a member account's user that the organization is managed from the management account", async () => {
    // A member account, administered through the role CreateAccount puts in it: a user there
    // with AdministratorAccess (so DescribeOrganization answers) and a console password.
    const created = await dashboard.root<{ createAccount: { account: { id: string }; roleArn: string } }>(
      'mutation { createAccount(input: { accountName: "Member", email: "member@example.com" }) { ... on CreateAccountSuccess { account { id } roleArn } } }',
    );
    const memberId = created.createAccount.account.id;
    // A root user cannot assume roles (as in AWS): an administrator of the management account does.
    await dashboard.root('mutation { createUser(input: { userName: "org-admin" }) { __typename } }');
    await dashboard.root('mutation { attachUserPolicy(input: { userName: "org-admin", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }) { __typename } }');
    const key = await dashboard.root<{ createAccessKey: { accessKey: { accessKeyId: string }; secretAccessKey: string } }>(
      'mutation { createAccessKey(input: { userName: "org-admin" }) { ... on CreateAccessKeySuccess { accessKey { accessKeyId } secretAccessKey } } }',
    );
    const asOrgAdmin = { authorization: `Basic ${Buffer.from(`${key.createAccessKey.accessKey.accessKeyId}:${key.createAccessKey.secretAccessKey}`).toString('base64')}` };
    const assumed = await dashboard.server.gql<{ assumeRole: { __typename: string; credentials?: { sessionToken: string } } }>(
      'mutation($r: String!) { assumeRole(input: { roleArn: $r, roleSessionName: "console-setup" }) { __typename ... on AssumeRoleSuccess { credentials { sessionToken } } } }',
      { r: created.createAccount.roleArn },
      asOrgAdmin,
    );
    expect(assumed.body.data?.assumeRole.__typename).toBe('AssumeRoleSuccess');
    const asMemberAdmin = { authorization: `Bearer ${assumed.body.data!.assumeRole.credentials!.sessionToken}` };
    for (const query of [
      'mutation { createUser(input: { userName: "member-admin" }) { __typename } }',
      'mutation { attachUserPolicy(input: { userName: "member-admin", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }) { __typename } }',
      `mutation { createLoginProfile(input: { userName: "member-admin", password: "${USER_PASSWORD}" }) { __typename } }`,
    ]) {
      const answer = await dashboard.server.gql<Record<string, { __typename: string }>>(query, {}, asMemberAdmin);
      expect(Object.values(answer.body.data ?? {})[0]?.__typename).toMatch(/Success$/);
    }

    const page = await dashboard.browser.newPage();
    await dashboard.signOut(page);
    await page.getByLabel('Account ID or alias', { exact: true }).fill(memberId);
    await page.getByLabel('User name', { exact: true }).fill('member-admin');
    await page.getByLabel('Password', { exact: true }).fill(USER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await page.getByRole('link', { name: 'Organization', exact: true }).click();
    const notice = page.getByRole('alert').filter({ hasText: 'Managed from another account' });
    await notice.waitFor();
    expect((await notice.textContent())?.replace(/\s+/g, ' ')).toContain(`management account ${ACCOUNT_ID}`);
    expect(await notice.textContent()).toMatch(/organizations:ListRoots|organizations:ListAccounts/);
    await page.close();
    expect(dashboard.browser.consoleErrors.filter((e) => !/status of 40[13]/.test(e))).toEqual([]);
  });
});
