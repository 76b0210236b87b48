// Starts a real Countersign binary on a fresh SQLite database, with one reviewer and one
// agent made through the CLI, and drives Debian's Chromium with Playwright.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..', '..');
const binary = process.env.COUNTERSIGN_BIN || join(root, 'target', 'debug', 'countersign');
export const REVIEWER = { username: 'rita', password: 'rita-plum-orbit-cellar-42' };
export const SECOND_REVIEWER = { username: 'ravi', password: 'ravi-plum-orbit-cellar-42' };
export const ADMIN = { username: 'admin', password: 'admin-plum-orbit-cellar-42' };
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];


/// A port nothing listens on now: the OS picks it (a fixed range once collided with
/// MariaDB's 3306 on this machine kind).
function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

export async function startServer() {
  const dir = mkdtempSync(join(tmpdir(), 'countersign-e2e-'));
  const port = await freePort();
  const env = { ...process.env, COUNTERSIGN_DATABASE_URL: `sqlite://${join(dir, 'e2e.db')}`,
    COUNTERSIGN_ADMIN_PASSWORD: 'admin-plum-orbit-cellar-42', LEPTOS_SITE_ROOT: join(root, 'target', 'site'),
    RUST_LOG: process.env.RUST_LOG || 'warn' };
  for (const who of [REVIEWER, SECOND_REVIEWER]) {
    execFileSync(binary, ['user', 'add', who.username, '--role', 'reviewer', '--password-stdin'],
      { env, input: who.password + '\n' });
  }
  const token = execFileSync(binary, ['agent', 'add', 'deploy-bot'], { env }).toString().trim();
  const proc = spawn(binary, ['serve', '--addr', `127.0.0.1:${port}`], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try { if ((await fetch(`${base}/login`)).ok) break; } catch { /* not up yet */ }
    if (i > 200) throw new Error('server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    base, token, db: join(dir, 'e2e.db'),
    async stop() { proc.kill('SIGTERM'); await new Promise((r) => proc.once('exit', r)); rmSync(dir, { recursive: true, force: true }); },
    api(path, init = {}) {
      return fetch(base + path, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...(init.headers || {}) } });
    },
  };
}

export async function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: CHROMIUM_FLAGS });
}

/// A page with JavaScript on or off. With it on, `ready` waits for hydration before clicks.
export async function openPage(browser, js) {
  const context = await browser.newContext({ javaScriptEnabled: js });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  // A failed hydration shows up here first (a panic in the wasm); print it with the test.
  page.on('pageerror', (e) => console.error(`[browser] page error on ${page.url()}: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') console.error(`[browser] ${page.url()}: ${m.text().slice(0, 500)}`); });
  const ready = async () => { if (js) await page.waitForSelector('body[data-hydrated="true"]', { timeout: 30000 }); };
  return { page, context, ready };
}

export async function signIn(page, ready, base, who = REVIEWER) {
  await page.goto(`${base}/login`);
  await ready();
  await page.getByLabel('Username').fill(who.username);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  await ready();
}

export function change(title, extra = {}) {
  return { title, repository: 'acme/payments', base: 'main', stakes: 'medium',
    diff: 'diff --git a/src/pay.rs b/src/pay.rs\n--- a/src/pay.rs\n+++ b/src/pay.rs\n@@ -1,2 +1,2 @@\n-let limit = 100;\n+let limit = 1000;\n ok();\n',
    evals: [{ name: 'payments-suite', status: 'pass', score: 0.99, threshold: 0.95 }], ...extra };
}
