// The auditor's view of the transparency log: with JavaScript the log is verified in the
// browser by the same library the CLI uses (wasm), and an entry edited directly in the
// database is caught there; without JavaScript the page still shows the signed checkpoint
// and says how to verify it with the CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { ADMIN, REVIEWER, change, launch, openPage, signIn, startServer } from './harness.mjs';

for (const js of [true, false]) {
  describe(`the transparency log with JavaScript ${js ? 'on' : 'off'}`, () => {
    let server, browser;
    before(async () => { server = await startServer(); browser = await launch(); });
    after(async () => { await browser?.close(); await server?.stop(); });

    test('the audit page verifies the log and catches an edited entry', async () => {
      const res = await server.api('/api/v1/changes', { method: 'POST', body: JSON.stringify(change('Logged change')) });
      const { id } = await res.json();
      const rita = await openPage(browser, js);
      await signIn(rita.page, rita.ready, server.base);
      await rita.page.goto(`${server.base}/changes/${id}`);
      await rita.ready();
      await rita.page.getByLabel('Password').fill(REVIEWER.password);
      await rita.page.getByRole('button', { name: 'Approve' }).click();
      await rita.page.locator('dd.status', { hasText: 'approved' }).waitFor();

      const admin = await openPage(browser, js);
      await signIn(admin.page, admin.ready, server.base, ADMIN);
      await admin.page.goto(`${server.base}/audit`);
      await admin.ready();
      const section = admin.page.locator('section', { has: admin.page.getByRole('heading', { name: 'Transparency log' }) });
      await section.waitFor();
      assert.match(await section.textContent(), /\d+ entries · checkpoint signature valid/);

      // The history, filtered by a plain GET form, with the signature checked per row.
      await admin.page.getByRole('link', { name: 'History' }).click();
      await admin.page.getByRole('heading', { name: 'History' }).waitFor();
      await admin.ready();
      await admin.page.getByLabel('Reviewer').fill(REVIEWER.username);
      await admin.page.getByRole('button', { name: 'Filter' }).click();
      await admin.page.waitForURL(/reviewer=rita/);
      const row = admin.page.locator('table.history tbody tr', { hasText: 'Logged change' });
      await row.waitFor();
      assert.match(await row.textContent(), /approve by rita, revision 1.*valid/);
      assert.equal(await admin.page.getByRole('link', { name: 'CSV' }).getAttribute('href'), '/audit/export?format=csv&reviewer=rita');
      // The oversight dashboard: server-drawn charts, rita's approval among them.
      await admin.page.getByRole('link', { name: 'Oversight' }).click();
      await admin.page.getByRole('heading', { name: 'Oversight' }).waitFor();
      await admin.ready();
      const perReviewer = admin.page.locator('figure', { hasText: 'Approvals per reviewer' });
      assert.equal(await perReviewer.locator('svg title').first().textContent(), 'rita: 1');
      assert.match(await admin.page.locator('section.requirement').first().textContent(), /0 pending now/);
      await admin.page.goto(`${server.base}/audit`);
      await admin.ready();
      if (!js) {
        assert.equal(await admin.page.getByRole('button', { name: 'Verify in this browser' }).count(), 0, 'not offered without JavaScript');
        assert.match(await section.textContent(), /countersign verify --server/);
        return;
      }
      await admin.page.getByRole('button', { name: 'Verify in this browser' }).click();
      await admin.page.getByText(/Verified in this browser: \d+ entries and 1 signed decisions/).waitFor();

      // Someone with database access turns the approval into a rejection in the log.
      execFileSync('sqlite3', [server.db,
        `UPDATE log_entries SET leaf = REPLACE(leaf, '"verdict":"approve"', '"verdict":"reject"') WHERE leaf LIKE '%change.decide%'`]);
      await admin.page.reload();
      await admin.ready();
      await admin.page.getByRole('button', { name: 'Verify in this browser' }).click();
      await admin.page.getByText('The log does not verify:').waitFor();
      assert.match(await section.locator('.error').textContent(), /do not hash to the checkpoint's root/);
    });
  });
}
