// An admin adds an agent in the browser and sees its token once; the agent submits with
// it; the admin quarantines it and finds that in the audit trail. JavaScript on and off.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { change, launch, openPage, startServer } from './harness.mjs';

const ADMIN = { username: 'admin', password: 'admin-plum-orbit-cellar-42' };

for (const js of [true, false]) {
  describe(`agents and audit with JavaScript ${js ? 'on' : 'off'}`, () => {
    let server, browser;
    before(async () => { server = await startServer(); browser = await launch(); });
    after(async () => { await browser?.close(); await server?.stop(); });

    test('a new agent token is shown once, works, and quarantine is audited', async () => {
      const name = `ci-bot-${js ? 'js' : 'nojs'}`;
      const { page, ready } = await openPage(browser, js);
      await page.goto(`${server.base}/login`);
      await ready();
      await page.getByLabel('Username').fill(ADMIN.username);
      await page.getByLabel('Password').fill(ADMIN.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Review queue' }).waitFor();
      await ready();

      await page.getByRole('link', { name: 'Agents' }).click();
      await page.getByRole('heading', { name: 'Add an agent' }).waitFor();
      await ready();
      await page.getByLabel('Agent name').fill(name);
      await page.getByRole('button', { name: 'Add agent' }).click();
      const shown = page.locator('code.token');
      await shown.waitFor();
      const token = (await shown.textContent()).trim();
      assert.match(token, /^cs_agent_/);

      const submitted = await fetch(`${server.base}/api/v1/changes`, { method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(change('Submitted with the new token')) });
      assert.equal(submitted.status, 201);

      await page.goto(`${server.base}/admin/agents`);
      await page.getByRole('heading', { name: 'Add an agent' }).waitFor();
      await ready();
      assert.equal(await page.locator('code.token').count(), 0, 'the token is not shown again');

      await page.getByText(`Manage ${name}`).click();
      const row = page.locator('tr', { hasText: name });
      await row.getByLabel('Your password (to quarantine)').fill(ADMIN.password);
      await row.getByRole('button', { name: 'Quarantine' }).click();
      await page.locator('tr', { hasText: name }).getByRole('cell', { name: 'quarantined', exact: true }).waitFor();
      const refused = await fetch(`${server.base}/api/v1/changes`, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(refused.status, 403);

      await page.getByRole('link', { name: 'Audit' }).click();
      await page.getByRole('heading', { name: 'Audit trail' }).waitFor();
      await ready();
      await page.getByLabel('Action').selectOption('agent.quarantine');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByRole('cell', { name: 'agent.quarantine', exact: true }).waitFor();
      assert.ok(await page.getByRole('cell', { name: 'user admin' }).first().isVisible());
    });
  });
}
