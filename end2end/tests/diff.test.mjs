// The review page on a change built from the shared fixtures, with JavaScript on and off:
// the file tree, both diff layouts (and that the choice is remembered), a folded large
// file opened on request, changed words and line anchors, the failing eval's message, and
// provenance cards: one verified, one invalid with its reason.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launch, openPage, signIn, startServer } from './harness.mjs';

const fixtures = resolve(import.meta.dirname, '..', '..', '..', 'shared', 'fixtures');
const read = (p) => readFileSync(join(fixtures, p), 'utf8');

function reviewChange(title) {
  // A rename with edits, then the first two files of the 10,000-line benchmark diff:
  // README.md, and a 1,100-line Rust file that folds.
  const big = read('diffs/13-generated-10k-lines.diff').split(/^(?=diff --git )/m).slice(0, 2).join('');
  return {
    title, repository: 'acme/engine', base: 'main', stakes: 'high',
    diff: read('diffs/01-rename-similarity.diff') + big,
    junit_xml: [read('junit/dorny-test-reporter/python-xunit-unittest.xml')],
    attestations: [
      JSON.parse(read('provenance/slsa-verifier/bcr/MODULE.bazel.intoto.jsonl').split('\n')[0]),
      JSON.parse(read('provenance/slsa-verifier/bcr/MODULE-wrong-signer.bazel.intoto.jsonl').split('\n')[0]),
    ],
  };
}

for (const js of [true, false]) {
  describe(`the review page with JavaScript ${js ? 'on' : 'off'}`, () => {
    let server, browser;
    before(async () => { server = await startServer(); browser = await launch(); });
    after(async () => { await browser?.close(); await server?.stop(); });

    test('diff layouts, folding, anchors and the failing eval', async () => {
      const title = `Rework flush handling (${js ? 'js' : 'no-js'})`;
      const res = await server.api('/api/v1/changes', { method: 'POST', body: JSON.stringify(reviewChange(title)) });
      assert.equal(res.status, 201, await res.clone().text());
      const { id } = await res.json();

      const { page, ready } = await openPage(browser, js);
      await signIn(page, ready, server.base);
      await page.goto(`${server.base}/changes/${id}`);
      await ready();

      // The file tree: kind and counts per file.
      const tree = page.getByRole('navigation', { name: 'Files' });
      await tree.getByRole('link', { name: /handbook\.txt/ }).waitFor();
      assert.match(await tree.textContent(), /R\s*handbook\.txt\s*\+2\s*−2/);
      assert.match(await page.locator('section#f0 > header').textContent(), /docs\/guide\.txt → docs\/handbook\.txt.*97% similar/);

      // Unified first, with changed words marked and line anchors.
      await page.locator('section#f0 table.diff.unified').waitFor();
      assert.ok(await page.locator('section#f0 tr.add .x').count() > 0, 'changed words are marked');
      assert.equal(await page.locator('#f0-R7').count(), 1, 'a line has its anchor');

      // Side by side, then remembered across a reload.
      await page.getByRole('button', { name: 'Side by side' }).click();
      await page.locator('section#f0 table.diff.split').waitFor();
      assert.equal(await page.locator('table.diff.unified').count(), 0);
      await page.goto(`${server.base}/changes/${id}`);
      await ready();
      await page.locator('section#f0 table.diff.split').waitFor();
      await page.getByRole('button', { name: 'Unified' }).click();
      await page.locator('section#f0 table.diff.unified').waitFor();

      // The large file folds, and opens on request.
      const big = page.locator('section#f2');
      await big.getByText("This file's diff is large").waitFor();
      await big.getByRole('link', { name: 'Show this file' }).click();
      await page.locator('section#f2 table.diff').waitFor();
      await page.locator('section#f2').getByText('Worker task segment client limit limit value entry route.').first().waitFor();

      // Evals: failures first, the message one click away.
      const first = page.locator('table.evals tbody tr').first();
      assert.match(await first.locator('td').first().textContent(), /error|fail/);
      const failing = page.locator('table.evals tr', { hasText: 'test_always_fail' });
      assert.equal(await failing.getByText('AssertionError: failed').isVisible(), false);
      await failing.locator('summary').click();
      await failing.getByText('AssertionError: failed').first().waitFor();
      assert.match(await page.locator('.eval-summary').textContent(), /4 passed, 1 failed, 1 errored, 2 skipped/);

      // Provenance: the valid bundle is verified, the wrong signer is invalid and says why.
      assert.equal(await page.locator('#attestation-0 .prov-status').textContent(), 'verified');
      assert.equal(await page.locator('#attestation-1 .prov-status').textContent(), 'invalid');
      assert.match(await page.locator('#attestation-1 .reason').textContent(), /loosebazooka\/aa-test.*claims builder/);
      assert.match(await page.locator('#attestation-0').textContent(), /inclusion proof: included at index 66718600/);
      assert.equal(await page.locator('dl.facts .prov-status').first().textContent(), 'invalid', 'the header shows the weakest');
    });
  });
}
