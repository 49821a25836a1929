// UI scenario: the QEfficient view in the real workbench against the test double of QEfficient (test/fake).
// The user opens the view, reads each stage's state, compiles the decode stage with its inline action,
// compiles the prefill stage from its CodeLens (a manual compile is captured), reloads the window and finds
// the same states; serves a config from its Serve lens with the qaic_disagg double (test/fake/python) and finds
// the "Serving" row with the endpoint and its inline actions, gone after Stop Serving; an empty workspace shows
// the welcome content. Screenshots of the view in the dark, light and high-contrast themes in
// .vscode-test/shots/view-*.png.
'use strict';
const path = require('path');
const assert = require('assert');
const { execFileSync } = require('child_process');
const fs = require('fs');
const L = require('./lib');
const { freePorts, servedConfig, writeQpc } = require('../suite/servingFixtures');

const pkg = require(path.join(L.ROOT, 'package.json'));
const EXT_ID = `${pkg.publisher}.${pkg.name}`;
const VSIX = path.join(L.VT, `${pkg.name}.vsix`);
const ROWS = '.part.sidebar .monaco-list-row';

/** Widens the side bar so that the descriptions show in full in the screenshots. */
async function widenSideBar(page) {
  const box = await page.locator('.part.sidebar').boundingBox();
  await page.mouse.move(box.x + box.width + 1, box.y + 300);
  await page.mouse.down();
  await page.mouse.move(box.x + 720, box.y + 300, { steps: 5 });
  await page.mouse.up();
}

async function showView(page) {
  const icon = page.locator('.activitybar .action-item .action-label[aria-label^="QEfficient"]').first();
  await icon.waitFor({ timeout: 30000 });
  const title = page.locator('.part.sidebar .title-label', { hasText: 'QEFFICIENT' }).first();
  // The icon toggles the side bar when its container is the active one: click until the view shows.
  for (let i = 0; i < 3 && !await title.isVisible(); i++) {
    await icon.click();
    await title.waitFor({ timeout: 3000 }).catch(() => {});
  }
  await title.waitFor({ timeout: 5000 });
}

/** The view's rows as the workbench shows them: label and description. */
async function rows(page) {
  return page.locator(ROWS).evaluateAll(els => els.map(e => ({
    label: (e.querySelector('.label-name') || {}).textContent || '',
    description: (e.querySelector('.label-description') || {}).textContent || '',
  })));
}

/** The row after the config's row whose label starts with the stage (configs are expanded). */
async function stageRow(page, config, stage) {
  const all = await rows(page);
  const at = all.findIndex(r => r.label === config);
  return at < 0 ? undefined : all.slice(at + 1).find(r => r.label.startsWith(stage + ' '));
}

/** The row element of the config's stage (the list renders every row: the tree is small). */
async function stageRowLocator(page, config, stage) {
  const all = await rows(page);
  const at = all.findIndex(r => r.label === config);
  const i = all.findIndex((r, j) => j > at && r.label.startsWith(stage + ' '));
  assert.ok(at >= 0 && i > at, `${config} ${stage} in ${JSON.stringify(all)}`);
  return page.locator(ROWS).nth(i);
}

/** A served config (serving/served.qeff.json) with its two QPC folders; returns the API port. */
async function writeServedConfig(dir) {
  writeQpc(path.join(dir, 'qpc-p'), 128);
  writeQpc(path.join(dir, 'qpc-d'), 1);
  const [api, prefill, decode, kvHandoff] = await freePorts(4);
  fs.writeFileSync(path.join(dir, 'served.qeff.json'), JSON.stringify(servedConfig({ api, prefill, decode, kvHandoff }), null, 2));
  return api;
}

/** The config's "Serving" row (its first child while served), or undefined. */
async function servingRowIndex(page, config) {
  const all = await rows(page);
  const at = all.findIndex(r => r.label === config);
  return at >= 0 && all[at + 1] && all[at + 1].label === 'Serving' ? at + 1 : -1;
}

async function waitStage(page, config, stage, re, ms = 60000) {
  let last;
  for (const end = Date.now() + ms; ; await L.sleep(250)) {
    last = await stageRow(page, config, stage);
    if (last && re.test(last.description)) return last;
    if (Date.now() > end) throw new Error(`${config} ${stage}: ${JSON.stringify(last)} does not match ${re}`);
  }
}

async function setTheme(page, theme, workbenchClass) {
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+T'); // Preferences: Color Theme
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(theme);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: theme }).first().click();
  await page.locator(`.monaco-workbench.${workbenchClass}`).first().waitFor({ timeout: 15000 });
  await L.sleep(500);
}

const session = (name, fixture, body) => L.vsixSession(name, { vsix: VSIX, fixture, settings: { 'workbench.colorTheme': 'Default Dark Modern' } }, body);

(async () => {
  if (!process.env.SKIP_PACKAGE) execFileSync('npm', ['run', '--silent', 'package'], { cwd: L.ROOT, stdio: 'inherit' });
  let current;
  const r = L.results('ui-view', { page: () => current });
  await session('ui-view', path.join(L.ROOT, 'test/fixtures/workspace'), async (page, { cs, WS }) => {
    current = page;
    await r.step('the view lists every config and its stages with their state', async () => {
      await showView(page);
      await L.waitForActivation(cs, EXT_ID);
      await waitStage(page, 'stages.qeff.json', 'prefill', /^not built$/);
      await waitStage(page, 'stages.qeff.json', 'decode', /^not built$/);
      const all = await rows(page);
      assert.ok(all.some(x => x.label === 'pair.qeff.json'), JSON.stringify(all));
      const mistakes = all.find(x => x.label === 'mistakes.qeff.json');
      assert.match(mistakes.description, /^\d+ error\(s\)$/);
    });
    await r.step('the decode stage\'s inline Compile action: running, then compiled with its QPC size', async () => {
      const row = await stageRowLocator(page, 'stages.qeff.json', 'decode');
      await row.hover();
      await row.locator('.actions .action-label[aria-label^="Compile"]').click();
      await waitStage(page, 'stages.qeff.json', 'decode', /^compiled · qpc-[0-9a-f]+ · \d+ B · /);
      await widenSideBar(page);
      await L.screenshot(page, 'view-01-dark');
    });
    await r.step('the prefill Compile lens: the same run state, ending in a manual compile with its actions', async () => {
      await L.openFile(page, 'view/stages.qeff.json');
      const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Compile' }).first();
      await lens.waitFor({ timeout: 20000 });
      assert.match(await page.locator('.monaco-editor .codelens-decoration').first().innerText(), /blocking · KV 9 MiB/);
      await lens.click();
      await waitStage(page, 'stages.qeff.json', 'prefill', /^manual compile needed$/);
      await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Copy Command' }).first().waitFor({ timeout: 20000 });
      const row = await stageRowLocator(page, 'stages.qeff.json', 'prefill');
      await row.hover();
      for (const action of ['Copy Manual Compile Command', 'Run Manual Compile Command in Terminal', 'Save Manual Compile Command as Script']) {
        assert.strictEqual(await row.locator(`.actions .action-label[aria-label^="${action}"]`).count(), 1, action);
      }
      await L.screenshot(page, 'view-02-lens-manual');
    });
    await r.step('screenshots in the light and high-contrast themes', async () => {
      await setTheme(page, 'Light Modern', 'vs');
      await L.screenshot(page, 'view-03-light');
      await setTheme(page, 'Dark High Contrast', 'hc-black');
      await L.screenshot(page, 'view-04-high-contrast');
      await setTheme(page, 'Dark Modern', 'vs-dark');
    });
    await r.step('while a compile runs: the stage, its phase and the elapsed time in the view and the status bar; a click shows the output', async () => {
      await L.openFile(page, 'runner/hang.qeff.json');
      await L.palette(page, 'QEff: Compile');
      const item = page.locator('.statusbar-item', { hasText: 'QEff decode: compiling' }).first();
      await item.waitFor({ timeout: 30000 });
      assert.match(await item.innerText(), /compiling · (\w+ · )?\d+:\d\d/);
      await waitStage(page, 'hang.qeff.json', 'decode', /^compiling · compile · \d+:\d\d$/);
      await L.screenshot(page, 'view-00-running');
      await item.click();
      await page.locator('.part.panel .monaco-editor', { hasText: 'qeff_driver.py run --request' }).first().waitFor({ timeout: 15000 });
      await L.palette(page, 'QEff: Cancel Run');
      await item.waitFor({ state: 'hidden', timeout: 30000 });
    });
    await r.step('after a window reload the view shows the same states', async () => {
      const before = [await stageRow(page, 'stages.qeff.json', 'prefill'), await stageRow(page, 'stages.qeff.json', 'decode')];
      await L.sleep(1000); // the history file is written asynchronously
      await L.palette(page, 'Developer: Reload Window');
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      await showView(page);
      await waitStage(page, 'stages.qeff.json', 'decode', new RegExp('^' + before[1].description.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '$'));
      await waitStage(page, 'stages.qeff.json', 'prefill', /^manual compile needed$/);
      await L.screenshot(page, 'view-05-after-reload');
    });
    await r.step('Serve from the lens: the Serving row shows the endpoint with Send Test Prompt and Stop Serving inline; Stop removes it', async () => {
      const api = await writeServedConfig(path.join(WS, 'serving'));
      await L.openFile(page, 'serving/served.qeff.json');
      const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: /^\s*Serve\s*$/ }).first();
      await lens.waitFor({ timeout: 20000 });
      await lens.click();
      const endpoint = `ready · http://127.0.0.1:${api}/v1`;
      await page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Stop Serving' }).first().waitFor({ timeout: 60000 });
      let i = -1;
      for (const end = Date.now() + 30000; i < 0 || (await rows(page))[i].description !== endpoint; await L.sleep(250)) {
        if (Date.now() > end) throw new Error(`no "Serving" row with ${endpoint}: ${JSON.stringify(await rows(page))}`);
        i = await servingRowIndex(page, 'served.qeff.json');
      }
      const row = page.locator(ROWS).nth(i);
      await row.hover();
      assert.strictEqual(await row.locator('.actions .action-label[aria-label^="Send Test Prompt"]').count(), 1);
      await L.screenshot(page, 'view-07-serving');
      await row.locator('.actions .action-label[aria-label^="Stop Serving"]').click();
      for (const end = Date.now() + 30000; await servingRowIndex(page, 'served.qeff.json') >= 0; await L.sleep(250)) {
        if (Date.now() > end) throw new Error('the Serving row is still there after Stop Serving');
      }
      await page.locator('.monaco-editor .codelens-decoration a', { hasText: /^\s*Serve\s*$/ }).first().waitFor({ timeout: 20000 });
    });
  });
  await session('ui-view-empty', null, async page => {
    current = page;
    await r.step('an empty workspace: the welcome content offers the wizard and the walkthrough', async () => {
      await showView(page);
      const welcome = page.locator('.part.sidebar .welcome-view-content');
      await welcome.locator('.monaco-button', { hasText: 'New Disaggregated Serving Config' }).waitFor({ timeout: 20000 });
      await welcome.locator('.monaco-button', { hasText: 'Open the Walkthrough' }).waitFor({ timeout: 5000 });
      await L.screenshot(page, 'view-06-welcome');
    });
  });
  r.finish();
})().catch(e => { console.error(e); console.log('ui-view: 0 passed, 1 failed'); process.exit(1); });
