/**
 * Resources in the dashboard, end to end against a real server: register (and a refused ARN),
 * filter the list, edit tags and the resource policy (with findings), ask who can perform an
 * action (each principal linked, with the group its grant comes through and the deciding
 * statement), a principal's "What can" tab (actions on a resource, resources for an action), and
 * deregister; at desktop and phone widths. Every outcome is checked through the API as well.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { ACCOUNT_ID, openDashboard, ROOT_PASSWORD } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';

const Q1 = 'arn:aws:s3:::reports/q1.csv';
const Q2 = 'arn:aws:s3:::reports/q2.csv';
const CAT = 'arn:aws:s3:::media/cat.png';
const READ_REPORTS = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'ReadReports', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*' }] }, null, 2);

/** The resource page's URL. */
const resourceUrl = (dashboard: Dashboard, arn: string): string => `${dashboard.server.url}/resources/${encodeURIComponent(arn)}`;

/** Picks `name` from an open listbox by keyboard (Down until it is the active option, then Enter). */
async function chooseByKeyboard(page: Page, list: Locator, name: string): Promise<void> {
  const option = list.getByRole('option', { name: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |$)`) });
  await option.waitFor();
  for (let i = 0; i < 25 && (await option.getAttribute('aria-selected')) !== 'true'; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

describe.skipIf(!chromiumAvailable)('resources, who can and what can in the dashboard', { timeout: 120_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
    // ana reads reports through the Analysts group; solo through a policy of its own.
    const setUp = [
      ['mutation($d: String!) { createPolicy(input: { policyName: "ReportsRead", policyDocument: $d }) { __typename } }', { d: READ_REPORTS }],
      ['mutation { createGroup(input: { groupName: "Analysts" }) { __typename } }', {}],
      ['mutation { attachGroupPolicy(input: { groupName: "Analysts", policyArn: "arn:aws:iam::111122223333:policy/ReportsRead" }) { __typename } }', {}],
      ['mutation { createUser(input: { userName: "ana" }) { __typename } }', {}],
      ['mutation { addUserToGroup(input: { groupName: "Analysts", userName: "ana" }) { __typename } }', {}],
      ['mutation { createUser(input: { userName: "solo" }) { __typename } }', {}],
      ['mutation { attachUserPolicy(input: { userName: "solo", policyArn: "arn:aws:iam::111122223333:policy/ReportsRead" }) { __typename } }', {}],
      ['mutation { createUser(input: { userName: "rita" }) { __typename } }', {}],
      ['mutation($r: String!) { registerResource(input: { resourceArn: $r }) { __typename } }', { r: Q2 }],
      ['mutation($r: String!) { registerResource(input: { resourceArn: $r }) { __typename } }', { r: CAT }],
    ] as const;
    for (const [query, variables] of setUp) {
      const data = await dashboard.root<Record<string, { __typename: string }>>(query, variables);
      expect(Object.values(data)[0]?.__typename).toMatch(/Success$/);
    }
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  it('registers a resource (refusing an ARN that fits no resource type), and filters the list', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.getByRole('link', { name: 'Resources', exact: true }).click();
    await page.getByRole('heading', { name: 'Resources' }).waitFor();
    await page.getByRole('button', { name: 'Register resource' }).click();
    const form = page.getByRole('form', { name: 'Register resource' });
    await form.getByLabel('Resource ARN').fill('arn:aws:s3:::');
    await form.getByRole('button', { name: 'Register' }).click();
    const fieldError = form.locator('.field-error');
    await fieldError.waitFor();
    expect(await fieldError.textContent()).toMatch(/resourceArn/);

    await form.getByLabel('Resource ARN').fill(Q1);
    await form.getByLabel(/^Tags/).fill('team=finance, tier=gold');
    await form.getByRole('button', { name: 'Register' }).click();
    await page.getByRole('heading', { name: `Resource ${Q1}` }).waitFor();
    const facts = page.getByRole('region', { name: 'Summary' }).or(page.locator('section[aria-labelledby="resource-facts"]'));
    expect(await facts.textContent()).toMatch(/Resource type\s*object/);
    const stored = await dashboard.root<{ resource: { resourceType: string; tags: Array<{ key: string; value: string }> } | null }>(
      'query($a: String!) { resource(resourceArn: $a) { resourceType tags { key value } } }',
      { a: Q1 },
    );
    expect(stored.resource).toEqual({ resourceType: 'object', tags: [{ key: 'team', value: 'finance' }, { key: 'tier', value: 'gold' }] });

    // Filters run on the server and live in the URL.
    await page.getByRole('link', { name: '← Resources' }).click();
    const table = page.getByRole('table', { name: /Registered resources/ });
    await table.getByRole('link', { name: CAT }).waitFor();
    await page.getByLabel('ARN prefix').fill('arn:aws:s3:::reports/');
    await page.getByRole('button', { name: 'Filter' }).click();
    await expect.poll(async () => (await table.getByRole('link').allTextContents()).sort()).toEqual([Q1, Q2]);
    expect(new URL(page.url()).searchParams.get('arnPrefix')).toBe('arn:aws:s3:::reports/');
    await page.reload();
    await expect.poll(async () => (await page.getByRole('table', { name: /Registered resources/ }).getByRole('link').allTextContents()).sort()).toEqual([Q1, Q2]);
    await dashboard.screenshot(page, 'resources');
    await page.close();
  });

  it('edits tags and the resource policy, refusing a policy with errors', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(resourceUrl(dashboard, Q1));
    await page.getByRole('heading', { name: `Resource ${Q1}` }).waitFor();

    await page.getByLabel(/^Add or change tags/).fill('owner=ana');
    await page.getByRole('button', { name: 'Save tags' }).click();
    await page.getByText(/Tagged with owner/).waitFor();
    await page.getByRole('button', { name: 'Remove tag team' }).click();
    await page.getByText(/Removed the tag team/).waitFor();
    await expect
      .poll(async () => (await page.getByRole('list', { name: 'Resource tags' }).getByRole('listitem').allTextContents()).sort())
      .toEqual([expect.stringMatching(/^owner = ana/), expect.stringMatching(/^tier = gold/)]);

    await page.getByRole('button', { name: 'Add resource policy' }).click();
    const form = page.getByRole('form', { name: 'Edit resource policy' });
    const editor = form.getByLabel('Resource policy document');
    // A resource policy must name a Principal: the editor flags it, and saving is refused.
    const noPrincipal = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: Q1 }] }, null, 2);
    await editor.fill(noPrincipal);
    await form.getByRole('list', { name: 'Policy findings' }).getByText('Error').first().waitFor();
    await form.getByRole('button', { name: 'Save resource policy' }).click();
    await form.getByText(/Not saved: the resource policy has \d+ error/).waitFor();
    expect((await dashboard.root<{ resource: { resourcePolicy: string | null } }>('query($a: String!) { resource(resourceArn: $a) { resourcePolicy } }', { a: Q1 })).resource.resourcePolicy).toBeNull();

    const forRita = JSON.stringify(
      { Version: '2012-10-17', Statement: [{ Sid: 'RitaReads', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:user/rita` }, Action: 's3:GetObject', Resource: Q1 }] },
      null,
      2,
    );
    await editor.fill(forRita);
    await form.getByText('No findings.').waitFor();
    await form.getByRole('button', { name: 'Save resource policy' }).click();
    await page.getByText(/Saved the resource policy/).waitFor();
    await page.getByRole('region', { name: 'Resource policy document' }).getByText('RitaReads').waitFor();
    const stored = await dashboard.root<{ resource: { resourcePolicy: string; tags: Array<{ key: string }> } }>(
      'query($a: String!) { resource(resourceArn: $a) { resourcePolicy tags { key } } }',
      { a: Q1 },
    );
    expect(stored.resource.resourcePolicy).toBe(forRita);
    expect(stored.resource.tags.map((t) => t.key).sort()).toEqual(['owner', 'tier']);
    await page.close();
  });

  it('answers who can for a chosen action: each principal linked, with its group and deciding statement', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(resourceUrl(dashboard, Q1));
    const panel = page.getByRole('form', { name: 'Who can' });
    const action = panel.getByRole('combobox', { name: /^Action/ });
    // Without a prefix, the resource's service is meant: `GetOb` offers `s3:GetObject`.
    await action.fill('GetOb');
    const list = panel.getByRole('listbox');
    await list.getByRole('option').first().waitFor();
    expect(await action.getAttribute('aria-expanded')).toBe('true');
    expect(await action.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    await chooseByKeyboard(page, list, 's3:GetObject');
    expect(await action.inputValue()).toBe('s3:GetObject');
    await panel.getByRole('button', { name: 'Ask' }).click();

    const table = page.getByRole('table', { name: /Allowed s3:GetObject/ });
    const row = (name: string) => table.getByRole('row').filter({ has: page.getByRole('link', { name, exact: true }) });
    await row('ana').waitFor();
    expect(await row('ana').getByRole('link', { name: 'Analysts' }).getAttribute('href')).toBe('/groups/Analysts');
    expect(await row('ana').locator('.statement.deciding').textContent()).toMatch(/Allow in ReportsRead .*“ReadReports”/);
    expect(await row('solo').textContent()).toMatch(/its own policies/);
    expect(await row('rita').textContent()).toMatch(/the resource policy/);
    expect(await row('rita').locator('.statement.deciding').textContent()).toMatch(/“RitaReads”/);

    // Every principal of the API's answer is listed, and nothing else.
    const answer = await dashboard.root<{ whoCan: { edges: Array<{ principalArn: string }> } }>(
      'query($a: String!) { whoCan(input: { action: "s3:GetObject", resourceArn: $a }) { edges { principalArn } } }',
      { a: Q1 },
    );
    const names = answer.whoCan.edges.map((edge) => edge.principalArn.replace(/^.*[:/]/, ''));
    expect(names).toEqual(expect.arrayContaining(['ana', 'solo', 'rita']));
    // The first link (or, for the root user, the ARN) of each row's first cell names its principal.
    const shown = await table.locator('tbody tr td:first-child').evaluateAll((cells) => cells.map((cell) => cell.querySelector('a, .mono')?.textContent ?? ''));
    expect(shown.map((text) => text.replace(/^.*[:/]/, '')).sort()).toEqual([...names].sort());
    await dashboard.screenshot(page, 'resource-who-can');

    // Deleting the resource policy on this page asks again (at the write's revision): rita goes.
    await page.getByRole('button', { name: 'Delete resource policy' }).click();
    await page.getByText(/Deleted the resource policy/).waitFor();
    await row('rita').waitFor({ state: 'detached' });
    await row('ana').waitFor();

    await row('ana').getByRole('link', { name: 'ana', exact: true }).click();
    await page.getByRole('heading', { name: 'User ana' }).waitFor();
    await page.close();
  });

  it("shows a user's What can tab: actions on a resource, and resources for an action", async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/users/ana`);
    await page.getByRole('heading', { name: 'User ana' }).waitFor();
    const tabs = page.getByRole('tablist', { name: 'User ana' });
    // Keyboard: the selected tab is the one tab stop, arrows move and select.
    await tabs.getByRole('tab', { name: 'Overview' }).focus();
    await page.keyboard.press('ArrowRight');
    expect(await tabs.getByRole('tab', { name: 'What can' }).getAttribute('aria-selected')).toBe('true');
    expect(new URL(page.url()).searchParams.get('tab')).toBe('what-can');
    const panel = page.getByRole('tabpanel', { name: 'What can' });

    const actionsForm = panel.getByRole('form', { name: 'Actions allowed on a resource' });
    await actionsForm.getByLabel('Resource ARN').fill(Q1);
    await actionsForm.getByRole('button', { name: 'List actions' }).click();
    const actions = panel.getByRole('table', { name: `Actions allowed on ${Q1}` });
    await actions.getByRole('row').nth(1).waitFor();
    expect((await actions.locator('tbody tr td:first-child').allTextContents())).toEqual(['s3:GetObject']);
    expect(await actions.locator('.statement.deciding').textContent()).toMatch(/ReportsRead/);

    const resourcesForm = panel.getByRole('form', { name: 'Resources allowed for an action' });
    await resourcesForm.getByRole('combobox', { name: /^Action/ }).fill('s3:GetObject');
    await resourcesForm.getByLabel(/^ARN prefix/).fill('arn:aws:s3:::');
    await resourcesForm.getByRole('button', { name: 'List resources' }).click();
    const resources = panel.getByRole('table', { name: 'Resources allowed s3:GetObject' });
    await expect.poll(async () => (await resources.getByRole('link').allTextContents()).sort()).toEqual([Q1, Q2]);
    await dashboard.screenshot(page, 'user-what-can');

    // The tab survives a reload (it is in the URL), and its links open the resource.
    await page.reload();
    await page.getByRole('tabpanel', { name: 'What can' }).waitFor();
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Groups' }).waitFor();
    await page.close();
  });

  it("shows a role's What can tab", async () => {
    await dashboard.root(
      'mutation($t: String!) { createRole(input: { roleName: "Reporter", assumeRolePolicyDocument: $t }) { __typename } }',
      { t: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` }, Action: 'sts:AssumeRole' }] }) },
    );
    await dashboard.root('mutation { attachRolePolicy(input: { roleName: "Reporter", policyArn: "arn:aws:iam::111122223333:policy/ReportsRead" }) { __typename } }');
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/roles/Reporter?tab=what-can`);
    const panel = page.getByRole('tabpanel', { name: 'What can' });
    const form = panel.getByRole('form', { name: 'Resources allowed for an action' });
    await form.getByRole('combobox', { name: /^Action/ }).fill('s3:GetObject');
    // Chosen from the completions, which may have opened over the button.
    await chooseByKeyboard(page, form.getByRole('listbox'), 's3:GetObject');
    await form.getByRole('button', { name: 'List resources' }).click();
    const resources = panel.getByRole('table', { name: 'Resources allowed s3:GetObject' });
    await expect.poll(async () => (await resources.getByRole('link').allTextContents()).sort()).toEqual([Q1, Q2]);
    await resources.getByRole('link', { name: Q2 }).click();
    await page.getByRole('heading', { name: `Resource ${Q2}` }).waitFor();
    await page.close();
  });

  it('works at phone width: resource page, who can and the What can tab fit the screen', async () => {
    const page = await dashboard.browser.newPage({ width: 390, height: 844 });
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    const noOverflow = async (): Promise<void> => {
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    };
    await page.goto(resourceUrl(dashboard, Q1));
    await page.getByRole('heading', { name: `Resource ${Q1}` }).waitFor();
    const panel = page.getByRole('form', { name: 'Who can' });
    // Typing opens the completions, which at this width cover the Ask button (the CI run on a loaded
    // machine saw them take the tap): choose the action from them, as a phone user does.
    await panel.getByRole('combobox', { name: /^Action/ }).fill('s3:GetObject');
    await chooseByKeyboard(page, panel.getByRole('listbox'), 's3:GetObject');
    await panel.getByRole('button', { name: 'Ask' }).click();
    await page.getByRole('table', { name: /Allowed s3:GetObject/ }).getByRole('link', { name: 'ana', exact: true }).waitFor();
    await noOverflow();
    await dashboard.screenshot(page, 'resource-phone');

    await page.goto(`${dashboard.server.url}/users/solo?tab=what-can`);
    const form = page.getByRole('form', { name: 'Actions allowed on a resource' });
    await form.getByLabel('Resource ARN').fill(Q2);
    await form.getByRole('button', { name: 'List actions' }).click();
    await page.getByRole('table', { name: `Actions allowed on ${Q2}` }).getByText('s3:GetObject').waitFor();
    await noOverflow();
    await page.close();
  });

  it('deregisters a resource after confirmation, and logged no console errors', async () => {
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(resourceUrl(dashboard, Q2));
    await page.getByRole('button', { name: 'Deregister resource…' }).click();
    const confirm = page.getByRole('form', { name: `Deregister resource ${Q2}` });
    await confirm.getByLabel('Type “deregister” to confirm').fill('deregister');
    await confirm.getByRole('button', { name: 'Deregister' }).click();
    await page.getByRole('heading', { name: 'Resources' }).waitFor();
    const stored = await dashboard.root<{ resource: unknown }>('query($a: String!) { resource(resourceArn: $a) { resourceArn } }', { a: Q2 });
    expect(stored.resource).toBeNull();
    await page.close();
    expect(dashboard.browser.consoleErrors).toEqual([]);
  });
});
