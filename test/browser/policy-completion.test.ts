/**
 * The policy editor completes names from the service catalog: service prefixes, then that
 * service's actions inside Action, and condition keys inside a Condition block; by keyboard alone
 * (the ARIA pattern of a text field with a list popup), with few requests (debounced, and longer
 * prefixes filtered from a complete shorter answer), at desktop and phone widths.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { openDashboard, ROOT_PASSWORD } from './support/dashboard.ts';
import type { Dashboard } from './support/dashboard.ts';

/** A policy typed up to the inside of its Action string. */
const UP_TO_ACTION = ['{', '  "Version": "2012-10-17",', '  "Statement": [', '    {', '      "Effect": "Allow",', '      "Action": "'].join('\n');

/** Counts the completion requests (by operation name) a page sends. */
function countCompletionRequests(page: Page): Record<string, number> {
  const counts: Record<string, number> = {};
  page.on('request', (request) => {
    const name = /\bquery (Completion\w+)\(/.exec(request.postData() ?? '')?.[1];
    if (name !== undefined) counts[name] = (counts[name] ?? 0) + 1;
  });
  return counts;
}

describe.skipIf(!chromiumAvailable)('policy editor completion', { timeout: 120_000 }, () => {
  let dashboard: Dashboard;

  beforeAll(async () => {
    dashboard = await openDashboard();
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
  });

  /** The catalog's action names of `service` starting with `prefix`, as the API lists them. */
  async function catalogActions(service: string, prefix: string): Promise<string[]> {
    const data = await dashboard.root<{ service: { actions: { edges: Array<{ node: { name: string } }> } } | null }>(
      'query($s: String!, $p: String!) { service(serviceName: $s) { actions(prefix: $p, first: 100) { edges { node { name } } } } }',
      { s: service, p: prefix },
    );
    return (data.service?.actions.edges ?? []).map((edge) => `${service}:${edge.node.name}`);
  }

  it('completes a service prefix, then its actions, by keyboard, with debounced and cached requests', async () => {
    const page = await dashboard.browser.newPage();
    const requests = countCompletionRequests(page);
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/policies/new`);
    const editor = page.getByLabel('Policy document');
    await editor.fill(UP_TO_ACTION);
    await editor.press('End');
    const list = page.getByRole('listbox', { name: 'Suggestions' });

    // A service prefix first: choosing `s3:` goes straight on to S3's actions.
    await page.keyboard.type('s3');
    await list.getByRole('option', { name: /^s3: / }).waitFor();
    expect(await editor.getAttribute('aria-autocomplete')).toBe('list');
    expect(await editor.getAttribute('aria-controls')).toBe(await list.getAttribute('id'));
    const s3 = list.getByRole('option', { name: /^s3: / });
    while ((await s3.getAttribute('aria-selected')) !== 'true') await page.keyboard.press('ArrowDown');
    expect(await editor.getAttribute('aria-activedescendant')).toBe(await s3.getAttribute('id'));
    await page.keyboard.press('Enter');
    expect(await editor.inputValue()).toBe(`${UP_TO_ACTION}s3:`);

    // Typed fast, nine keystrokes cost one actions request (debounced), not nine.
    await page.keyboard.type('GetObject');
    const expected = await catalogActions('s3', 'GetObject');
    expect(expected.length).toBeGreaterThan(1);
    expect(expected.length).toBeLessThanOrEqual(20);
    await expect.poll(() => list.getByRole('option').count()).toBe(expected.length);
    const actionRequests = requests.CompletionActions ?? 0;
    expect(actionRequests).toBeGreaterThanOrEqual(1);
    expect(actionRequests).toBeLessThanOrEqual(2);
    await dashboard.screenshot(page, 'policy-completion', { viewportOnly: true });
    // A longer prefix is filtered from that complete answer: no new request.
    await page.keyboard.type('T');
    const narrower = await catalogActions('s3', 'GetObjectT');
    await expect.poll(async () => (await list.getByRole('option').allTextContents()).map((text) => text.split(' ')[0])).toEqual(narrower);
    expect(requests.CompletionActions ?? 0).toBe(actionRequests);

    // Escape closes the list and asks nothing; Ctrl+Space opens it again; Enter chooses.
    await page.keyboard.press('Escape');
    await list.waitFor({ state: 'detached' });
    expect(await editor.getAttribute('aria-activedescendant')).toBeNull();
    await page.keyboard.press('Control+Space');
    await list.waitFor();
    await page.keyboard.press('ArrowDown');
    const chosen = (await list.getByRole('option', { selected: true }).textContent())!.split(' ')[0]!;
    expect(chosen).toBe(narrower[1] ?? narrower[0]);
    await page.keyboard.press('Enter');
    await list.waitFor({ state: 'detached' });
    expect(await editor.inputValue()).toBe(`${UP_TO_ACTION}${chosen}`);

    // Condition keys of the service inside a Condition operator block.
    await page.keyboard.type('",\n      "Resource": "*",\n      "Condition": { "StringLike": { "s3:pre');
    const prefixKey = list.getByRole('option', { name: /^s3:prefix / });
    await prefixKey.waitFor();
    while ((await prefixKey.getAttribute('aria-selected')) !== 'true') await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.type('": "home/" } }\n    }\n  ]\n}');
    const text = await editor.inputValue();
    expect(JSON.parse(text)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: chosen, Resource: '*', Condition: { StringLike: { 's3:prefix': 'home/' } } }],
    });
    await page.getByText('Ready to save').waitFor();
    await page.close();
  });

  it("completes an account's own service (putService) like AWS's", async () => {
    const put = await dashboard.root<{ putService: { __typename: string } }>(
      `mutation {
        putService(input: {
          serviceName: "todo", displayName: "Todo lists",
          actions: [{ name: "GetList", accessLevel: READ }, { name: "GetItem", accessLevel: READ }, { name: "PutList", accessLevel: WRITE }],
          conditionKeys: [{ name: "todo:ListOwner", type: "String" }]
        }) { __typename }
      }`,
    );
    expect(put.putService.__typename).toBe('PutServiceSuccess');
    const page = await dashboard.browser.newPage();
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/policies/new`);
    const editor = page.getByLabel('Policy document');
    await editor.fill(UP_TO_ACTION);
    await editor.press('End');
    await page.keyboard.type('todo:Get');
    const list = page.getByRole('listbox', { name: 'Suggestions' });
    await expect.poll(async () => list.getByRole('option').allTextContents()).toEqual(['todo:GetItem Read', 'todo:GetList Read']);
    await page.keyboard.press('Enter');
    await page.keyboard.type('",\n      "Resource": "*",\n      "Condition": { "StringEquals": { "todo:');
    await list.getByRole('option', { name: 'todo:ListOwner String' }).waitFor();
    await page.keyboard.press('Enter');
    expect(await editor.inputValue()).toMatch(/"Action": "todo:GetItem",[\s\S]*\{ "todo:ListOwner$/);
    await page.close();
  });

  it('offers nothing outside actions and condition keys, and works at phone width', async () => {
    const page = await dashboard.browser.newPage({ width: 390, height: 844 });
    await dashboard.signIn(page, 'root', ROOT_PASSWORD);
    await page.goto(`${dashboard.server.url}/policies/new`);
    const editor = page.getByLabel('Policy document');
    // Inside Effect: no list, however long one waits for the debounce.
    await editor.fill(UP_TO_ACTION.replace('"Action": "', '"Resource": "arn:aws:s3:::'));
    await editor.press('End');
    await page.keyboard.type('rep');
    await page.waitForTimeout(600);
    expect(await page.getByRole('listbox').count()).toBe(0);

    await editor.fill(UP_TO_ACTION);
    await editor.press('End');
    await page.keyboard.type('iam:GetUs');
    const list = page.getByRole('listbox', { name: 'Suggestions' });
    await list.getByRole('option', { name: /^iam:GetUser / }).waitFor();
    // The popup stays within the screen.
    const box = (await list.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await list.getByRole('option', { name: /^iam:GetUser / }).click();
    expect(await editor.inputValue()).toBe(`${UP_TO_ACTION}iam:GetUser`);
    await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
    // Tab (no list open) indents, and what is typed at once lands after the indent.
    await page.keyboard.type('",\n');
    await page.keyboard.press('Tab');
    await page.keyboard.type('"Resource"');
    expect(await editor.inputValue()).toBe(`${UP_TO_ACTION}iam:GetUser",\n  "Resource"`);
    await dashboard.screenshot(page, 'policy-completion-phone', { viewportOnly: true });
    await page.close();
    expect(dashboard.browser.consoleErrors).toEqual([]);
  });
});
