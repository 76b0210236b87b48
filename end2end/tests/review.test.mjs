// The core loop in a real browser, once with JavaScript and once without: an agent submits
// over HTTP, a reviewer signs in, opens the change from the queue and decides with comment
// and password; the agent's long-poll returns that decision.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { REVIEWER, change, launch, openPage, signIn, startServer } from './harness.mjs';

for (const js of [true, false]) {
  describe(`reviewing with JavaScript ${js ? 'on' : 'off'}`, () => {
    let server, browser;
    before(async () => { server = await startServer(); browser = await launch(); });
    after(async () => { await browser?.close(); await server?.stop(); });

    test('an approval reaches the waiting agent', async () => {
      const title = `Raise payout limit (${js ? 'js' : 'no-js'})`;
      const res = await server.api('/api/v1/changes', { method: 'POST', body: JSON.stringify(change(title)) });
      assert.equal(res.status, 201);
      const { id, digest } = await res.json();
      const waiting = server.api(`/api/v1/changes/${id}/decision?wait=60`).then((r) => r.json());

      const { page, ready } = await openPage(browser, js);
      await signIn(page, ready, server.base);
      await page.getByRole('link', { name: title }).click();
      await page.getByRole('heading', { name: title }).waitFor();
      await ready();
      assert.ok(await page.getByText('let limit = 1000;').isVisible(), 'the diff is shown');
      assert.ok(await page.getByText('payments-suite').isVisible(), 'the evals are shown');

      await page.getByLabel('Comment').fill('Checked the limit with finance.');
      await page.getByLabel('Password').fill(REVIEWER.password);
      await page.getByRole('button', { name: 'Approve' }).click();
      await page.getByText('Checked the limit with finance.').waitFor();
      assert.equal(await page.locator('dd.status').textContent(), 'approved');
      assert.match(await page.locator('details.signature summary').first().textContent(), /^signature valid \(key ed25519:[0-9a-f]{16}\)$/);
      await page.locator('details.signature summary').first().click();
      assert.match(await page.locator('.log-inclusion').first().textContent(), /In the log at index \d+: its inclusion proof verifies against the signed checkpoint of size \d+/);
      assert.equal(await page.getByRole('button', { name: 'Approve' }).count(), 0, 'no form on a decided change');

      const decided = await waiting;
      assert.equal(decided.status, 'approved');
      assert.equal(decided.decisions.length, 1);
      assert.equal(decided.decisions[0].reviewer, REVIEWER.username);
      assert.equal(decided.decisions[0].verdict, 'approve');
      assert.equal(decided.decisions[0].comment, 'Checked the limit with finance.');
      assert.equal(decided.decisions[0].digest, digest);
      assert.match(decided.decisions[0].envelope, /"payloadType":"application\/vnd.in-toto\+json"/, 'the decision comes back signed');
    });

    test('a rejection without a comment is refused, then recorded with one', async () => {
      const title = `Drop audit table (${js ? 'js' : 'no-js'})`;
      const res = await server.api('/api/v1/changes', { method: 'POST', body: JSON.stringify(change(title, { stakes: 'critical' })) });
      const { id } = await res.json();
      const { page, ready } = await openPage(browser, js);
      await signIn(page, ready, server.base);
      await page.goto(`${server.base}/changes/${id}`);
      await ready();

      await page.getByLabel('Password').fill(REVIEWER.password);
      await page.getByRole('button', { name: 'Reject' }).click();
      await page.getByText('A comment is required to reject.').waitFor();
      let state = await (await server.api(`/api/v1/changes/${id}`)).json();
      assert.equal(state.status, 'pending', 'nothing was recorded');

      await page.getByLabel('Password').fill('not-the-password');
      await page.getByLabel('Comment').fill('Deletes the audit trail.');
      await page.getByRole('button', { name: 'Reject' }).click();
      await page.getByText('Wrong username or password.').waitFor();

      await page.getByLabel('Comment').fill('Deletes the audit trail.');
      await page.getByLabel('Password').fill(REVIEWER.password);
      await page.getByRole('button', { name: 'Reject' }).click();
      await page.getByText('Deletes the audit trail.').first().waitFor();
      await page.locator('dd.status', { hasText: 'rejected' }).waitFor();
      state = await (await server.api(`/api/v1/changes/${id}`)).json();
      assert.equal(state.status, 'rejected');
    });

    test('signing in with a wrong password says so and signing out ends the session', async () => {
      const { page, ready } = await openPage(browser, js);
      await page.goto(`${server.base}/`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await ready();
      await page.getByLabel('Username').fill(REVIEWER.username);
      await page.getByLabel('Password').fill('wrong-password-here');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText('Wrong username or password.').waitFor();
      await signIn(page, ready, server.base);
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.goto(`${server.base}/`);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
    });
  });
}
