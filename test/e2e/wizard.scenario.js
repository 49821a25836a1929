// UI scenario of the guided setup wizard in a real VS Code workbench (code-server + headless chromium),
// acting as a user: the extension is packaged and installed from its .vsix; "New Disaggregated Serving
// Config…" opens the wizard; gpt-oss-120b, both stages, chunking + full-KV; a ctx_len that breaks a rule
// shows the rule's message beside the field and disables Save; corrected; the NPI files are picked through
// the file dialog; saved: the file equals the expected text and `qeff-disagg check` passes; a second save
// asks before overwriting and keeps the file; a reload restores the wizard; Edit in Wizard changes one value
// of a commented config and keeps the rest. Screenshots in light, dark and high-contrast themes go to
// .vscode-test/shots/wizard-*.png. Ends with `wizard: N passed, N failed`.
'use strict';
const fs = require('fs');
const path = require('path');
const assert = require('assert');
const { execFileSync, spawnSync } = require('child_process');
const L = require('./lib');

const pkg = require(path.join(L.ROOT, 'package.json'));
const EXT_ID = `${pkg.publisher}.${pkg.name}`;
const VSIX = path.join(L.VT, `${pkg.name}.vsix`);
const SAVED_NAME = 'gpt-oss-120b-chunking-full-kv.qeff.json';

// The text the wizard writes for this flow (also pinned by test/unit/wizard.test.ts).
const EXPECTED = fs.readFileSync(path.join(L.ROOT, 'test/fixtures/wizard-120b-chunking-full-kv.expected'), 'utf8');

/** Every log file under a folder, concatenated (the extension's log channel is one of them). */
function allLogs(dir) {
  if (!fs.existsSync(dir)) return '';
  return fs.readdirSync(dir, { withFileTypes: true }).map(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? allLogs(p) : e.name.endsWith('.log') ? fs.readFileSync(p, 'utf8') : '';
  }).join('\n');
}

/** The wizard's page: two nested iframes, the host (iframe.webview.ready) and the content (#active-frame). */
const wizardFrame = page => page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

async function waitReady(page, timeout = 30000) {
  const wv = wizardFrame(page);
  await wv.locator('#app[data-ready="true"]').waitFor({ timeout });
  return wv;
}

/** Types into a text field the way a user does: through the field's own id (the wizard's attribute), never
 *  the component library's inner elements: focus, select all, type. */
async function typeInto(wv, id, value) {
  const field = wv.locator(`#${id}`);
  // As a user would, looking at the field: a click that lands while the page re-renders (a theme change, a
  // reload) may not take the focus, and the keys go elsewhere or add to the old text; then type it again.
  for (let attempt = 1; ; attempt++) {
    await field.click();
    await field.press('Control+a');
    if (value) await field.pressSequentially(value);
    else await field.press('Delete');
    const end = Date.now() + 2000;
    while (await fieldValue(wv, id) !== value && Date.now() < end) await L.sleep(100);
    const now = await fieldValue(wv, id);
    if (now === value) return;
    if (attempt === 3) throw new Error(`#${id} holds ${JSON.stringify(now)} after typing ${JSON.stringify(value)} three times`);
    // Said in the log: a retry that starts to happen often is a lead on lost keystrokes in the page itself.
    console.log(`(typed again: #${id} held ${JSON.stringify(now)} after typing ${JSON.stringify(value)})`);
  }
}

const fieldValue = (wv, id) => wv.locator(`#${id}`).evaluate(e => e.value);

/** Polls fn; `what` may be an (async) function, to describe the state seen last. */
async function waitFor(what, fn, timeout = 15000) {
  for (const end = Date.now() + timeout; ; await L.sleep(100)) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${typeof what === 'function' ? await what() : what}`);
  }
}

/** Picks a file through VS Code's own (quick-input) file dialog: type the path, Enter. */
async function pickInFileDialog(page, absPath) {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15000 });
  // The dialog fills in its folder, lists it, and may set its value again meanwhile: wait until it is
  // listed and the value has not changed for a moment, then type the path as a user does.
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 15000 });
  let last = '';
  await waitFor('the dialog to settle', async () => {
    const v = await input.inputValue();
    const stable = v === last && v.endsWith('/');
    last = v;
    return stable;
  }, 15000);
  for (let attempt = 1; ; attempt++) {
    await input.focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.type(absPath, { delay: 10 });
    try {
      await waitFor('the typed path', async () => (await input.inputValue()) === absPath, 3000);
      break;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
  await page.locator('.quick-input-list .monaco-list-row', { hasText: path.basename(absPath) }).first().waitFor({ timeout: 15000 });
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden', timeout: 15000 });
}

/** Picks a color theme by its label in the theme picker ("Dark Modern", "Light Modern", "Dark High Contrast"). */
async function setTheme(page, label) {
  const input = page.locator('.quick-input-widget input');
  const exactRow = text => page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${text}$`) }) }).first();
  await page.keyboard.press('F1');
  await input.waitFor({ state: 'visible' });
  await input.fill('>Preferences: Color Theme');
  await exactRow('Preferences: Color Theme').click(); // not "Browse Color Themes in Marketplace"
  await input.fill(label);
  await exactRow(label).click();
  await input.waitFor({ state: 'hidden' });
  await L.sleep(500);
}

/** Opens the wizard from the palette; returns the milliseconds from Enter to an interactive wizard. */
async function openWizard(page) {
  const t0 = await L.palette(page, 'QEff: New Disaggregated Serving Config…');
  const wv = await waitReady(page);
  return { wv, ms: Date.now() - t0 };
}

(async () => {
  const RUN = L.freshDir('ui-wizard');
  const WS = path.join(RUN, 'ws');
  fs.cpSync(path.join(L.ROOT, 'test/fixtures/workspace'), WS, { recursive: true });
  if (!process.env.SKIP_PACKAGE) execFileSync('npm', ['run', '--silent', 'package'], { cwd: L.ROOT, stdio: 'inherit' });
  const extensionsDir = path.join(RUN, 'extensions');
  L.installVsix(VSIX, extensionsDir, RUN);
  L.seedSettings(path.join(RUN, 'user-data'), { 'workbench.colorTheme': 'Default Light Modern' });
  const cs = await L.startCodeServer({ runDir: RUN, folder: WS, extensionsDir, disableWorkspaceTrust: true });
  let ctx, page;
  const r = L.results('wizard', { page: () => page });
  const figures = {};
  const savedFile = path.join(WS, SAVED_NAME);
  try {
    ctx = await L.launchBrowser(path.join(RUN, 'chromium-profile'));
    page = ctx.pages()[0] || await ctx.newPage();
    let wv;

    await r.step('the palette command opens the wizard', async () => {
      await page.goto(L.workbenchUrl(cs, WS));
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      await L.waitForActivation(cs, EXT_ID);
      ({ wv, ms: figures.commandToInteractiveMs } = await openWizard(page));
      await wv.locator('#step-title', { hasText: '1. Model' }).waitFor();
      await L.screenshot(page, 'wizard-01-model-light');
    });

    await r.step('model: gpt-oss-120b from the hub; the family is inferred', async () => {
      await wv.locator('#preset-gpt-oss-120b').click();
      await waitFor('model value', async () => (await fieldValue(wv, 'f-model')) === 'openai/gpt-oss-120b');
      await wv.locator('#h-family', { hasText: 'Inferred: gpt-oss-120b' }).waitFor();
      await wv.locator('#next').click();
    });

    await r.step('stages: both, the disaggregated pair', async () => {
      await wv.locator('#step-title', { hasText: '2. Stages' }).waitFor();
      await wv.locator('#f-stages-both').click();
      assert.strictEqual(await wv.locator('#f-stages').evaluate(e => e.value), 'both');
      await wv.locator('#next').click();
    });

    await r.step('modes side by side: the KV memory follows the mode; chunking + full-KV chosen by keyboard and mouse', async () => {
      await wv.locator('#step-title', { hasText: '3. Modes' }).waitFor();
      const kvCell = wv.locator('#prefill-modes-table tr.kv-row').first();
      await wv.locator('#f-prefill-mode-blocking').click();
      await wv.locator('#prefill-modes-table thead th.chosen', { hasText: 'Blocking' }).waitFor();
      // the keyboard: arrow keys move the radio group's choice
      await wv.locator('#f-prefill-mode-blocking').focus();
      await page.keyboard.press('ArrowRight');
      await wv.locator('#prefill-modes-table thead th.chosen', { hasText: 'Chunking' }).waitFor();
      await wv.locator('#f-prefill-mode-chunking').click();
      await wv.locator('#f-decode-mode-full-kv').click();
      await wv.locator('#decode-modes-table thead th.chosen', { hasText: 'Full KV' }).waitFor();
      const kv = await kvCell.innerText();
      assert.match(kv, /MiB/, kv);
      assert.match(await wv.locator('#decode-modes-table').innerText(), /Multi-turn chat/);
      await wv.locator('p.pair.natural').waitFor();
      await L.screenshot(page, 'wizard-02-modes-light');
      await wv.locator('#next').click();
    });

    await r.step('a ctx_len that breaks a rule: the message beside the field, Save disabled; corrected', async () => {
      await wv.locator('#step-title', { hasText: '4. Parameters' }).waitFor();
      const before = await wv.locator('#prefill-kv').innerText();
      await typeInto(wv, 'f-prefill-compile-ctx_len', '100');
      // The page follows the keystrokes: wait for the message about the whole value typed.
      await wv.locator('#d-prefill-compile-ctx_len .diag.error[data-code="QEFF-CTX-01"]', { hasText: 'ctx_len 100 is less than prefill_seq_len 128' }).waitFor();
      assert.strictEqual(await wv.locator('#app').getAttribute('data-can-save'), 'false');
      assert.ok(await wv.locator('#save').evaluate(e => e.disabled), 'Save is disabled');
      assert.notStrictEqual(await wv.locator('#prefill-kv').innerText(), before, 'the KV memory is recomputed');
      // the decode stage follows the prefill's ctx_len: the pair stays consistent
      assert.strictEqual(await fieldValue(wv, 'f-decode-compile-ctx_len'), '100');
      await L.screenshot(page, 'wizard-03-ctx-error-light');
      // a decode ctx_len of its own breaks the pairing rule (a warning, beside the decode field)
      await typeInto(wv, 'f-decode-compile-ctx_len', '4096');
      await typeInto(wv, 'f-prefill-compile-ctx_len', '8192');
      await wv.locator('#d-decode-compile-ctx_len .diag.warning[data-code="QEFF-PAIR-02"]').waitFor();
      await waitFor('CTX-01 gone', async () => (await wv.locator('#d-prefill-compile-ctx_len .diag').count()) === 0);
      await typeInto(wv, 'f-decode-compile-ctx_len', '8192');
      await waitFor('PAIR-02 gone', async () => (await wv.locator('#d-decode-compile-ctx_len .diag').count()) === 0);
      // 120b without NPI files: NPI-01 at both NPI fields
      await wv.locator('#d-prefill-compile-node_precision_info [data-code="QEFF-NPI-01"]').waitFor();
      await wv.locator('#d-decode-compile-node_precision_info [data-code="QEFF-NPI-01"]').waitFor();
    });

    await r.step('the NPI files are picked through the file dialog', async () => {
      await wv.locator('#browse-npi-prefill').click();
      await pickInFileDialog(page, path.join(WS, 'npi', 'subfunction_120b_npi.yaml'));
      await waitFor('prefill NPI', async () => (await fieldValue(wv, 'f-prefill-compile-node_precision_info')) === 'npi/subfunction_120b_npi.yaml');
      await wv.locator('#browse-npi-decode').click();
      await pickInFileDialog(page, path.join(WS, 'npi', 'non_subfunction_120b_npi.yaml'));
      await waitFor('decode NPI', async () => (await fieldValue(wv, 'f-decode-compile-node_precision_info')) === 'npi/non_subfunction_120b_npi.yaml');
      await waitFor('no errors', async () => (await wv.locator('#app').getAttribute('data-errors')) === '0');
      assert.strictEqual(await wv.locator('#app').getAttribute('data-can-save'), 'true');
      await L.screenshot(page, 'wizard-04-parameters-light');
    });

    await r.step('serving (optional): the defaults are clean, a port clash is shown beside its field, skipping writes none', async () => {
      await wv.locator('#next').click();
      await wv.locator('#step-title', { hasText: '5. Serving' }).waitFor();
      await wv.locator('#f-serving').click();
      await wv.locator('#f-serving-decode-ports').waitFor();
      assert.strictEqual(await fieldValue(wv, 'f-serving-prefill-deviceGroups'), '0');
      assert.strictEqual(await fieldValue(wv, 'f-serving-decode-deviceGroups'), '1');
      await waitFor('a clean serving section', async () => (await wv.locator('#app').getAttribute('data-errors')) === '0'
        && (await wv.locator('#app').getAttribute('data-can-save')) === 'true');
      await typeInto(wv, 'f-serving-decode-ports', '9900');
      await wv.locator('#d-serving-decode-ports .diag.error[data-code="QEFF-SRV-01"]').waitFor();
      assert.match(await wv.locator('#d-serving-decode-ports').innerText(), /9900 is also prefill port 1/);
      assert.strictEqual(await wv.locator('#app').getAttribute('data-can-save'), 'false');
      await L.screenshot(page, 'wizard-04b-serving-light');
      await wv.locator('#f-serving').click(); // skipped after all: no serving section, nothing to fix
      await waitFor('serving skipped', async () => (await wv.locator('#app').getAttribute('data-can-save')) === 'true');
      assert.strictEqual(await wv.locator('#f-serving-decode-ports').count(), 0);
    });

    await r.step('review and save: the file equals the expected text, opens, and `qeff-disagg check` passes', async () => {
      await wv.locator('#nav-review').click();
      await wv.locator('#step-title', { hasText: '6. Review' }).waitFor();
      await waitFor('config text', async () => (await wv.locator('#config-text').textContent()) === EXPECTED);
      await wv.locator('#problems', { hasText: 'QEFF-SUB-02' }).waitFor(); // the info about the expected compile failure
      assert.strictEqual(await fieldValue(wv, 'f-fileName'), SAVED_NAME);
      await L.screenshot(page, 'wizard-05-review-light');
      await wv.locator('#save').click();
      await wv.locator('#app[data-saved="ok"]').waitFor({ timeout: 20000 });
      assert.strictEqual(fs.readFileSync(savedFile, 'utf8'), EXPECTED);
      await page.locator('.tabs-container .tab', { hasText: SAVED_NAME }).first().waitFor({ timeout: 15000 });
      const cli = spawnSync(process.execPath, [path.join(L.ROOT, 'dist/cli.js'), 'check', savedFile], { encoding: 'utf8' });
      assert.strictEqual(cli.status, 0, cli.stdout + cli.stderr);
      await L.screenshot(page, 'wizard-06-saved-light');
    });

    await r.step('a second save asks before overwriting; Cancel keeps the file', async () => {
      // The decode stage's ctx_len (the prefill's is followed by use_onnx_subfunctions).
      fs.writeFileSync(savedFile, EXPECTED.replace('"ctx_len": 8192,\n      "full_batch_size": 4', '"ctx_len": 8192, // edited by hand\n      "full_batch_size": 4'));
      const handEdited = fs.readFileSync(savedFile, 'utf8');
      assert.notStrictEqual(handEdited, EXPECTED);
      const editedAt = fs.statSync(savedFile).mtimeMs;
      await wv.locator('#save').click();
      const dialog = page.locator('.monaco-dialog-box');
      await dialog.waitFor({ timeout: 15000 });
      assert.match(await dialog.innerText(), /already exists/);
      await L.screenshot(page, 'wizard-07-overwrite-modal-light');
      await dialog.locator('.monaco-button', { hasText: 'Cancel' }).click();
      await wv.locator('#app[data-saved="cancelled"]').waitFor({ timeout: 15000 });
      assert.match(await wv.locator('#status').innerText(), /exists and was kept/);
      assert.strictEqual(fs.readFileSync(savedFile, 'utf8'), handEdited, 'the file was not overwritten');
      assert.strictEqual(fs.statSync(savedFile).mtimeMs, editedAt, 'the file was not even rewritten with the same text');
    });

    await r.step('after a window reload the serializer restores the wizard with its state', async () => {
      // "Developer: Reload Window" shuts the workbench down properly (its storage, with the webview's
      // state, is flushed), as a user's reload does; a bare browser reload may lose the last state.
      await L.palette(page, 'Developer: Reload Window');
      await page.waitForLoadState('domcontentloaded');
      await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
      wv = await waitReady(page, 60000);
      await wv.locator('#step-title', { hasText: '6. Review' }).waitFor();
      await waitFor('restored text', async () => (await wv.locator('#config-text').textContent()) === EXPECTED);
    });

    await r.step('dark and high-contrast themes: the same pages, themed', async () => {
      await setTheme(page, 'Dark Modern');
      await L.screenshot(page, 'wizard-08-review-dark');
      await wv.locator('#nav-modes').click();
      await wv.locator('#step-title', { hasText: '3. Modes' }).waitFor();
      await L.screenshot(page, 'wizard-09-modes-dark');
      await wv.locator('#nav-parameters').click();
      await typeInto(wv, 'f-prefill-compile-ctx_len', '100');
      await wv.locator('#d-prefill-compile-ctx_len [data-code="QEFF-CTX-01"]').waitFor();
      await L.screenshot(page, 'wizard-10-ctx-error-dark');
      await setTheme(page, 'Dark High Contrast');
      await L.screenshot(page, 'wizard-11-ctx-error-high-contrast');
      await typeInto(wv, 'f-prefill-compile-ctx_len', '8192');
      await waitFor(async () => `no errors (data-errors ${await wv.locator('#app').getAttribute('data-errors')}, ctx_len ${JSON.stringify(await fieldValue(wv, 'f-prefill-compile-ctx_len'))})`,
        async () => (await wv.locator('#app').getAttribute('data-errors')) === '0');
      await setTheme(page, 'Light Modern');
    });

    await r.step('Edit in Wizard: one value changed in a commented config; comments and other keys kept', async () => {
      await L.openFile(page, 'good.qeff.json');
      const original = fs.readFileSync(path.join(WS, 'good.qeff.json'), 'utf8');
      await L.palette(page, 'QEff: Edit in Wizard');
      wv = await waitReady(page);
      await wv.locator('#wizard-title', { hasText: 'Edit good.qeff.json' }).waitFor();
      await wv.locator('#nav-parameters').click();
      await typeInto(wv, 'f-decode-compile-kv_cache_batch_size', '8');
      await wv.locator('#nav-review').click();
      await waitFor('can save', async () => (await wv.locator('#app').getAttribute('data-can-save')) === 'true');
      await wv.locator('#save').click();
      await wv.locator('#app[data-saved="ok"]').waitFor({ timeout: 20000 });
      const after = fs.readFileSync(path.join(WS, 'good.qeff.json'), 'utf8');
      const expected = original.replace('"full_batch_size": 4,\n      "kv_cache_batch_size": 4,', '"full_batch_size": 4,\n      "kv_cache_batch_size": 8,');
      assert.notStrictEqual(expected, original);
      assert.strictEqual(after, expected);
      await L.screenshot(page, 'wizard-12-edit-in-wizard-light');
    });

    await r.step('the page kept its Content-Security-Policy: no violation reported', async () => {
      assert.strictEqual(await wv.locator('#app').getAttribute('data-csp-violations'), null);
      assert.doesNotMatch(allLogs(path.join(cs.userDataDir, 'logs')), /CSP violation/);
    });
  } finally {
    if (ctx) await ctx.close();
    await L.stopCodeServer(cs);
  }
  fs.writeFileSync(path.join(RUN, 'figures.json'), JSON.stringify(figures, null, 1));
  console.log(`wizard figures: ${JSON.stringify(figures)}`);
  r.finish();
})().catch(e => { console.error(e); console.log('wizard: 0 passed, 1 failed'); process.exit(1); });
