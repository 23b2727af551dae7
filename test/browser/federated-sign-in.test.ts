/**
 * Console sign-in through an OpenID Connect provider, in Chromium: the sign-in page lists the
 * account's provider, the browser goes through oidc-provider's real login and consent pages
 * (test/identity/support/oidc-idp.ts), comes back to the console, and lands signed in as a role —
 * straight away when one role trusts the person, through the role chooser when two do.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcIdp, type TestIdp } from '../identity/support/oidc-idp.ts';
import { CHROMIUM_PATH, chromiumAvailable } from './support/browser.ts';
import { ACCOUNT_ID, openDashboard, type Dashboard } from './support/dashboard.ts';

if (!chromiumAvailable) console.warn(`federated sign-in browser tests skipped: ${CHROMIUM_PATH} is not installed`);

const CREATE_PROVIDER = `mutation($i: CreateOpenIDConnectProviderInput!) { createOpenIDConnectProvider(input: $i) {
  __typename ... on CreateOpenIDConnectProviderSuccess { openIDConnectProvider { arn } } } }`;
const CREATE_ROLE = 'mutation($n: String!, $t: String!) { createRole(input: { roleName: $n, assumeRolePolicyDocument: $t }) { __typename } }';
const ATTACH = 'mutation($n: String!, $a: String!) { attachRolePolicy(input: { roleName: $n, policyArn: $a }) { __typename } }';

describe.skipIf(!chromiumAvailable)('console sign-in through an OpenID Connect provider, in Chromium', { timeout: 150_000 }, () => {
  let dashboard: Dashboard;
  let idp: TestIdp;

  /** From the console's sign-in page through the provider's login (as `login`) and consent pages, back to the console. */
  const throughProvider = async (page: Page, login: string): Promise<void> => {
    // A new visitor: neither the console's session nor the provider's (whose cookies share the 127.0.0.1 host) from the last test.
    await page.context().clearCookies();
    await dashboard.signOut(page);
    await page.getByLabel('Account ID or alias', { exact: true }).fill(ACCOUNT_ID);
    await page.getByRole('link', { name: 'Sign in with Example SSO' }).click();
    // oidc-provider's own development login page, then its consent page.
    await page.waitForURL((url) => url.href.startsWith(idp.url));
    await page.locator('input[name="login"]').fill(login);
    await page.locator('input[name="password"]').fill('any');
    await page.locator('button[type="submit"]').click();
    await page.locator('button[type="submit"]', { hasText: /continue/i }).click();
    await page.waitForURL((url) => url.href.startsWith(dashboard.server.url));
  };

  /** Who the console's header says is signed in. */
  const signedInAs = (page: Page) => page.locator('.shell-user span').first();

  beforeAll(async () => {
    dashboard = await openDashboard();
    idp = await startOidcIdp(`${dashboard.server.url}/federation/oidc/callback`);
    type Created = { createOpenIDConnectProvider: { __typename: string; openIDConnectProvider?: { arn: string } } };
    const created = await dashboard.root<Created>(CREATE_PROVIDER, {
      i: { url: idp.url, clientIdList: [idp.clientId], tags: [{ key: 'portcullis:console-sign-in', value: 'Example SSO' }] },
    });
    const providerArn = created.createOpenIDConnectProvider.openIDConnectProvider!.arn;
    const key = providerArn.slice(providerArn.indexOf('/') + 1);
    const trust = (condition: object) =>
      JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithWebIdentity', Condition: condition }] });
    // alice may be a FederatedDeveloper or a FederatedReader; bob only a FederatedReader; carol nothing.
    await dashboard.root(CREATE_ROLE, { n: 'FederatedDeveloper', t: trust({ StringEquals: { [`${key}:aud`]: idp.clientId, [`${key}:sub`]: 'alice' } }) });
    await dashboard.root(CREATE_ROLE, { n: 'FederatedReader', t: trust({ StringEquals: { [`${key}:aud`]: idp.clientId }, StringNotEquals: { [`${key}:sub`]: 'carol' } }) });
    for (const role of ['FederatedDeveloper', 'FederatedReader']) await dashboard.root(ATTACH, { n: role, a: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
    await idp?.close();
  });

  it('signs in as the only role that trusts the person, without a chooser, and keeps no code in the URL', async () => {
    const page = await dashboard.browser.newPage();
    await throughProvider(page, 'bob');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await expect.poll(() => signedInAs(page).textContent()).toBe(`FederatedReader/bob@example.com @ ${ACCOUNT_ID}`);
    expect(await signedInAs(page).getAttribute('title')).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/FederatedReader/bob@example.com`);
    expect(page.url()).not.toContain('federated-sign-in=');
    await page.close();
  });

  it('shows the role chooser when two roles trust the person, and lands as the chosen role', async () => {
    const page = await dashboard.browser.newPage();
    await throughProvider(page, 'alice');
    const chooser = page.getByRole('form', { name: 'Select a role' });
    await chooser.waitFor();
    expect(await chooser.getByRole('radio').count()).toBe(2);
    await chooser.getByRole('radio', { name: /FederatedDeveloper/ }).check();
    await chooser.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await expect.poll(() => signedInAs(page).textContent()).toBe(`FederatedDeveloper/alice@example.com @ ${ACCOUNT_ID}`);
    await dashboard.screenshot(page, 'federated-sign-in', { viewportOnly: true });
    await page.close();
  });

  it('shows the refusal on the sign-in page when no role trusts the person', async () => {
    const page = await dashboard.browser.newPage();
    await throughProvider(page, 'carol');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    await page.close();
  });
});
