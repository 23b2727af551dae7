/**
 * Console sign-in through a SAML 2.0 provider, in Chromium: the sign-in page lists the account's
 * SAML provider, the browser carries the AuthnRequest to a samlify IdP over HTTP
 * (test/identity/support/saml-idp-server.ts), signs in on its page, and the IdP's auto-submitted
 * form posts the signed response to /saml; the console lands signed in as a role — straight away
 * with one role, through the role chooser with two. A replayed response, one answering another
 * request and an expired one each bring the person back to the sign-in page with the refusal.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSamlIdpServer, type SamlIdpServer } from '../identity/support/saml-idp-server.ts';
import { CHROMIUM_PATH, chromiumAvailable } from './support/browser.ts';
import { ACCOUNT_ID, openDashboard, type Dashboard } from './support/dashboard.ts';

if (!chromiumAvailable) console.warn(`SAML sign-in browser tests skipped: ${CHROMIUM_PATH} is not installed`);

const AWS = 'https://aws.amazon.com/SAML/Attributes/';
const CREATE_PROVIDER = `mutation($i: CreateSAMLProviderInput!) { createSAMLProvider(input: $i) {
  __typename ... on CreateSAMLProviderSuccess { samlProvider { arn } } ... on ResultError { message } } }`;
const CREATE_ROLE = 'mutation($n: String!, $t: String!) { createRole(input: { roleName: $n, assumeRolePolicyDocument: $t }) { __typename } }';
const ATTACH = 'mutation($n: String!, $a: String!) { attachRolePolicy(input: { roleName: $n, policyArn: $a }) { __typename } }';

describe.skipIf(!chromiumAvailable)('console sign-in through a SAML provider, in Chromium', { timeout: 150_000 }, () => {
  let dashboard: Dashboard;
  let idp: SamlIdpServer;
  const providerArn = `arn:aws:iam::${ACCOUNT_ID}:saml-provider/CorpSAML`;
  const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT_ID}:role/${name}`;

  /** From the console's sign-in page through the IdP's login page (as `login`) back to the console. */
  const throughIdp = async (page: Page, login: string): Promise<void> => {
    await page.context().clearCookies();
    await dashboard.signOut(page);
    await page.getByLabel('Account ID or alias', { exact: true }).fill(ACCOUNT_ID);
    await page.getByRole('link', { name: 'Sign in with Corp SAML' }).click();
    await page.waitForURL((url) => url.href.startsWith(idp.url));
    await page.getByLabel('User name').fill(login);
    await page.getByRole('button', { name: 'Sign in to the IdP' }).click();
    await page.waitForURL((url) => url.href.startsWith(dashboard.server.url) && url.pathname === '/');
  };

  /** Who the console's header says is signed in. */
  const signedInAs = (page: Page) => page.locator('.shell-user span').first();
  /** The refusal the sign-in page shows. */
  const refusal = async (page: Page) => {
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
    return page.getByRole('alert').textContent();
  };

  beforeAll(async () => {
    dashboard = await openDashboard();
    const offered: Record<string, string[]> = { erin: ['SamlOperator'], frank: ['SamlOperator', 'SamlAuditor'] };
    idp = await startSamlIdpServer({
      audience: dashboard.server.config.samlAudience,
      // The public URL SAML_RECIPIENT names (behind a proxy it differs from where the server listens).
      recipient: dashboard.server.config.samlRecipient,
      acsUrl: `${dashboard.server.url}/saml`,
      attributes: (login) => ({ [`${AWS}Role`]: (offered[login] ?? []).map((name) => `${roleArn(name)},${providerArn}`), [`${AWS}RoleSessionName`]: [login] }),
    });
    type Created = { createSAMLProvider: { __typename: string } };
    const created = await dashboard.root<Created>(CREATE_PROVIDER, {
      i: { name: 'CorpSAML', samlMetadataDocument: idp.idp.metadata, tags: [{ key: 'portcullis:console-sign-in', value: 'Corp SAML' }] },
    });
    expect(created.createSAMLProvider.__typename).toBe('CreateSAMLProviderSuccess');
    const trust = JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithSAML', Condition: { StringEquals: { 'saml:aud': dashboard.server.config.samlRecipient } } }],
    });
    for (const role of ['SamlOperator', 'SamlAuditor']) {
      await dashboard.root(CREATE_ROLE, { n: role, t: trust });
      await dashboard.root(ATTACH, { n: role, a: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' });
    }
  }, 180_000);

  afterAll(async () => {
    await dashboard?.close();
    await idp?.close();
  });

  it('SP-initiated: signs in as the only role offered, and keeps no code in the URL', async () => {
    const page = await dashboard.browser.newPage();
    await throughIdp(page, 'erin');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await expect.poll(() => signedInAs(page).textContent()).toBe(`SamlOperator/erin @ ${ACCOUNT_ID}`);
    expect(await signedInAs(page).getAttribute('title')).toBe(`arn:aws:sts::${ACCOUNT_ID}:assumed-role/SamlOperator/erin`);
    expect(page.url()).not.toContain('federated-sign-in=');
    expect(idp.requests.length).toBe(1);
    await page.close();
  });

  it('shows the role chooser when the assertion offers two roles, and lands as the chosen one', async () => {
    const page = await dashboard.browser.newPage();
    await throughIdp(page, 'frank');
    const chooser = page.getByRole('form', { name: 'Select a role' });
    await chooser.waitFor();
    expect(await chooser.getByRole('radio').count()).toBe(2);
    await chooser.getByRole('radio', { name: /SamlAuditor/ }).check();
    await chooser.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    await expect.poll(() => signedInAs(page).textContent()).toBe(`SamlAuditor/frank @ ${ACCOUNT_ID}`);
    await page.close();
  });

  it('refuses a replayed response: posted again, it brings the person back to the sign-in page', async () => {
    const page = await dashboard.browser.newPage();
    await throughIdp(page, 'erin');
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    const used = idp.lastResponse!;
    await page.context().clearCookies();
    await dashboard.signOut(page);
    // The same auto-submitted form the IdP served, posted a second time.
    await page.setContent(`<form method="post" action="${dashboard.server.url}/saml"><input type="hidden" name="SAMLResponse" value="${used}"></form>`);
    await page.locator('form').evaluate((form: HTMLFormElement) => form.submit());
    expect(await refusal(page)).toMatch(/does not match a sign-in started here, or was already used/);
    await page.close();
  });

  it('refuses a response answering another request, and an expired one', async () => {
    const page = await dashboard.browser.newPage();
    idp.tamperNext({ inResponseTo: '_ffffffffffffffffffffffffffffffffffffffff' });
    await throughIdp(page, 'erin');
    expect(await refusal(page)).toMatch(/does not match a sign-in started here/);
    idp.tamperNext({ notBefore: new Date(Date.now() - 3600_000), validForSeconds: 300 });
    await throughIdp(page, 'erin');
    expect(await refusal(page)).toMatch(/has expired/);
    await page.close();
  });
});
