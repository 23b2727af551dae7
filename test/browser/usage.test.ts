/**
 * Least privilege from use in the dashboard, end to end against a real server: a user's
 * "Access advisor" tab (granted services with their last use, actions on demand), the same tab
 * on its group and on a policy, "Generate policy" (the draft opened in the policy editor with
 * the access preview of what it would deny), and the live "Unused access" page.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { ACCOUNT_ID, openDashboard, ROOT_PASSWORD } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';

const APP = `arn:aws:iam::${ACCOUNT_ID}:user/usage-app`;
const GRANTS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject', 'dynamodb:GetItem'], Resource: '*' }] });

describe.skipIf(!chromiumAvailable)('access advisor, generated policies and unused access in the dashboard', { timeout: 120_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
    const setUp = [
      ['mutation($d: String!) { createPolicy(input: { policyName: "UsageAppGrants", policyDocument: $d }) { __typename } }', { d: GRANTS }],
      ['mutation { createUser(input: { userName: "usage-app" }) { __typename } }', {}],
      ['mutation { attachUserPolicy(input: { userName: "usage-app", policyArn: "arn:aws:iam::111122223333:policy/UsageAppGrants" }) { __typename } }', {}],
      ['mutation { createGroup(input: { groupName: "UsageApps" }) { __typename } }', {}],
      ['mutation { addUserToGroup(input: { groupName: "UsageApps", userName: "usage-app" }) { __typename } }', {}],
      ['mutation { attachGroupPolicy(input: { groupName: "UsageApps", policyArn: "arn:aws:iam::111122223333:policy/UsageAppGrants" }) { __typename } }', {}],
    ] as const;
    for (const [query, variables] of setUp) {
      const data = await dashboard.root<Record<string, { __typename: string }>>(query, variables);
      expect(Object.values(data)[0]?.__typename).toMatch(/Success$/);
    }
    const questions = ['arn:aws:s3:::docs/a.txt', 'arn:aws:s3:::docs/b.txt'].map((resourceArn) => ({ principalArn: APP, action: 's3:GetObject', resourceArn }));
    await dashboard.root('mutation($r: [AuthorizeInput!]!) { authorizeBatch(requests: $r) { __typename } }', { r: questions });
    await dashboard.server.running.app.authz.flushUsage();
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  it('shows granted services and their last use on the user, its group and the policy', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/users/usage-app`);
    await page.getByRole('tab', { name: 'Access advisor' }).click();
    const table = page.getByRole('table', { name: 'Services last accessed' });
    await table.waitFor();
    const s3 = table.locator('tr[data-service="s3"]');
    expect(await s3.textContent()).toContain(APP);
    expect(await table.locator('tr[data-service="dynamodb"]').textContent()).toContain('Not accessed in the tracking period');
    await s3.getByRole('button', { name: /actions?/ }).click();
    const actions = page.getByRole('list', { name: 'Actions of s3' });
    await actions.waitFor();
    const items = await actions.getByRole('listitem').allTextContents();
    expect(items.find((i) => i.startsWith('s3:GetObject'))).not.toContain('Not accessed');
    expect(items.find((i) => i.startsWith('s3:PutObject'))).toContain('Not accessed');

    for (const path of ['/groups/UsageApps', `/policies/${encodeURIComponent('arn:aws:iam::111122223333:policy/UsageAppGrants')}`]) {
      await page.goto(`${dashboard.server.url}${path}`);
      await page.getByRole('tab', { name: 'Access advisor' }).click();
      const row = page.getByRole('table', { name: 'Services last accessed' }).locator('tr[data-service="s3"]');
      await row.waitFor();
      expect(await row.textContent()).toContain(APP);
    }
    await page.close();
  });

  it('generates a policy from use, opens it in the editor and previews what it would deny', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/users/usage-app`);
    await page.getByRole('tab', { name: 'Generate policy' }).click();
    await page.getByRole('form', { name: 'Generate policy' }).getByRole('button', { name: 'Generate policy' }).click();
    const editor = page.getByRole('textbox', { name: 'Generated policy' });
    await editor.waitFor();
    const draft = JSON.parse(await editor.inputValue());
    expect(draft.Statement).toEqual([{ Sid: 'S3Used', Effect: 'Allow', Action: 's3:GetObject', Resource: ['arn:aws:s3:::docs/a.txt', 'arn:aws:s3:::docs/b.txt'] }]);
    const preview = page.getByRole('region', { name: 'Access preview' });
    expect(await preview.textContent()).toMatch(/Granted today: 3 actions\. The draft would deny 2 of them/);
    expect(await preview.getByRole('list', { name: 'Denied by the draft' }).getByRole('listitem').allTextContents()).toEqual(['dynamodb:GetItem', 's3:PutObject']);
    await dashboard.screenshot(page, 'generate-policy');
    await page.close();
  });

  it('lists unused access live', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.getByRole('link', { name: 'Unused access', exact: true }).click();
    await page.getByRole('heading', { name: 'Unused access' }).waitFor();
    // Every entity here is minutes old: none has had 30 days to go unused.
    await page.getByLabel('Unused for at least').selectOption('30');
    await page.getByText('No unused access in this window.').waitFor();
    await page.close();
  });
});
