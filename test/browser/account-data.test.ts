/**
 * The Account data page and the credential report in the dashboard, end to end against a real
 * server: import a GetAccountAuthorizationDetails file (what it created, checked through the API;
 * a refused one names the element's JSON path), export it back as a download, and download the
 * credential report from the users page; at desktop and phone widths.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { openDashboard, ROOT_PASSWORD } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';

const DOCUMENT = {
  UserDetailList: [{ Path: '/', UserName: 'imported-ida', UserId: 'AIDAEXAMPLEIDA000001', Arn: 'arn:aws:iam::999988887777:user/imported-ida', CreateDate: '2020-01-01T00:00:00+00:00', GroupList: ['imported-team'], AttachedManagedPolicies: [] }],
  GroupDetailList: [{ Path: '/', GroupName: 'imported-team', GroupId: 'AGPAEXAMPLETEAM00001', Arn: 'arn:aws:iam::999988887777:group/imported-team', CreateDate: '2020-01-01T00:00:00+00:00', GroupPolicyList: [], AttachedManagedPolicies: [] }],
  RoleDetailList: [],
  Policies: [],
};

/** Saves what a click downloads and returns its text. */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; text: string }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const file = await download.path();
  return { name: download.suggestedFilename(), text: await readFile(file, 'utf8') };
}

describe.skipIf(!chromiumAvailable)('account data in the dashboard', { timeout: 120_000 }, () => {
  let dashboard: Dashboard;
  beforeAll(async () => {
    dashboard = await openDashboard();
  }, 180_000);
  afterAll(async () => {
    await dashboard?.close();
  });

  it('imports a file, refuses a bad one by JSON path, and exports the account as a download', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/account-data`);
    await page.getByRole('heading', { name: 'Account data', level: 1 }).waitFor();

    const bad = { ...DOCUMENT, UserDetailList: [{ ...DOCUMENT.UserDetailList[0], GroupList: ['nobody'] }] };
    await page.getByLabel('Document (.json)').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(bad)) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('$.UserDetailList[0].GroupList[0]');

    await page.getByLabel('Document (.json)').setInputFiles({ name: 'good.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(DOCUMENT)) });
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Imported 1 users, 1 groups' }).waitFor();
    const data = await dashboard.root<{ user: { groups: { edges: Array<{ node: { groupName: string } }> } } }>('{ user(userName: "imported-ida") { groups { edges { node { groupName } } } } }');
    expect(data.user.groups.edges.map((e) => e.node.groupName)).toEqual(['imported-team']);

    const exported = await downloaded(page, () => page.getByRole('button', { name: 'Download authorization details' }).click());
    expect(exported.name).toBe('account-authorization-details.json');
    const document = JSON.parse(exported.text);
    expect(document.UserDetailList.find((u: { UserName: string }) => u.UserName === 'imported-ida')).toMatchObject({ GroupList: ['imported-team'], CreateDate: '2020-01-01T00:00:00+00:00' });
  });

  it('downloads the credential report from the users page, and fits a phone screen', async () => {
    const page = await dashboard.browser.newPage({ width: 390, height: 844 });
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/users`);
    const report = await downloaded(page, () => page.getByRole('button', { name: 'Download credential report' }).click());
    expect(report.name).toBe('credential-report.csv');
    expect(report.text.split('\n')[0]).toMatch(/^user,arn,user_creation_time,password_enabled,/);
    expect(report.text.split('\n')[1]).toMatch(/^<root_account>,/);
    await page.goto(`${dashboard.server.url}/account-data`);
    await page.getByRole('heading', { name: 'Account data', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
  });
});
