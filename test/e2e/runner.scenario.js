// UI scenario: export and compile from the real workbench against the test double of QEfficient
// (test/fake). The user runs "Export and Compile Both Stages" on a config, sees the progress and the
// notification of the captured compiler command, saves it as a script, runs it in a terminal; then, in an
// untrusted workspace, the run commands are not offered. Screenshots in .vscode-test/shots/.
'use strict';
const fs = require('fs');
const path = require('path');
const assert = require('assert');
const { execFileSync } = require('child_process');
const L = require('./lib');

const pkg = require(path.join(L.ROOT, 'package.json'));
const EXT_ID = `${pkg.publisher}.${pkg.name}`;
const VSIX = path.join(L.VT, `${pkg.name}.vsix`);

/**
 * The titles of the QEff commands the palette offers, read once the palette is populated: a command that
 * is offered in every workspace (`always`) must be listed first, so that an absent title means "not
 * offered", not "not listed yet". Few enough QEff commands for every row to be rendered.
 */
async function qeffPalette(page, always) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill('>QEff:');
  const rows = page.locator('.quick-input-list .monaco-list-row');
  await rows.filter({ hasText: always }).first().waitFor({ timeout: 15000 });
  const titles = await rows.allTextContents();
  await page.keyboard.press('Escape');
  return titles;
}

// The DOM renderer puts the terminal's text in .xterm-rows, where the test can read it.
const session = (name, { trusted }, body) => L.vsixSession(name, { vsix: VSIX, fixture: path.join(L.ROOT, 'test/fixtures/workspace'), trusted,
  settings: { 'terminal.integrated.gpuAcceleration': 'off' } }, body);

(async () => {
  if (!process.env.SKIP_PACKAGE) execFileSync('npm', ['run', '--silent', 'package'], { cwd: L.ROOT, stdio: 'inherit' });
  let current;
  const r = L.results('ui-runner', { page: () => current });
  await session('ui-runner', { trusted: true }, async (page, { cs, WS }) => {
    current = page;
    await r.step('open a config; the status bar shows the probed QEfficient', async () => {
      await L.openFile(page, 'pair.qeff.json');
      await L.waitForActivation(cs, EXT_ID);
      await page.locator('.statusbar-item', { hasText: 'QEff 1.22.8.0' }).first().waitFor({ timeout: 30000 });
    });
    await r.step('Export and Compile: progress, then the manual compile command notification', async () => {
      await L.palette(page, 'QEff: Export and Compile Both Stages');
      await page.locator('.notifications-toasts .notification-list-item', { hasText: 'QEff' }).first().waitFor({ timeout: 20000 });
      await L.screenshot(page, 'run-01-progress');
      const toast = page.locator('.notifications-toasts .notification-list-item', { hasText: 'must be finished by hand' }).first();
      await toast.waitFor({ timeout: 90000 });
      await L.screenshot(page, 'run-02-manual-command');
      await toast.locator('.monaco-button', { hasText: 'Save as Script' }).click();
      await page.locator('.tabs-container .tab.active', { hasText: 'pair.prefill.compile.sh' }).waitFor({ timeout: 15000 });
      const script = fs.readFileSync(path.join(WS, 'runner', 'pair.prefill.compile.sh'), 'utf8');
      assert.match(script, /^exec .*qaic-compile .*'?-sub-functions'? /m);
      await L.screenshot(page, 'run-03-script');
    });
    await r.step('the decode stage is compiled after the prefill was captured', async () => {
      await page.locator('.notifications-toasts .notification-list-item', { hasText: 'The decode stage is compiled' }).first().waitFor({ timeout: 90000 });
    });
    await r.step('Run in Terminal shows the quoted command and its output', async () => {
      await L.palette(page, 'QEff: Run Manual Compile Command in Terminal');
      const term = page.locator('.terminal-wrapper .xterm-rows').last();
      await term.waitFor({ timeout: 20000 });
      // The DOM renderer holds only the rows in view, one per screen line: a long command wraps over several
      // rows, and once the output fills the panel the command's first row is scrolled out of the DOM.
      const text = async () => (await term.innerText()).replace(/\n/g, '');
      // The fake compiler of the public SDK cannot compile subfunctions: it fails, as the real one would.
      for (let end = Date.now() + 20000; !/\[exit code 1\]/.test(await text()); await L.sleep(200)) {
        if (Date.now() > end) throw new Error('no exit code in the terminal: ' + (await text()).slice(-300));
      }
      await L.palette(page, 'Terminal: Scroll to Top');
      for (let end = Date.now() + 20000; !/\$ .*qaic-compile/.test(await text()); await L.sleep(200)) {
        if (Date.now() > end) throw new Error('the command is not shown in the terminal: ' + (await text()).slice(0, 300));
      }
      await L.screenshot(page, 'run-04-terminal');
    });
  });
  await session('ui-runner-untrusted', { trusted: false }, async page => {
    current = page;
    await r.step('untrusted workspace: the run commands are not offered, the script preview is', async () => {
      await L.openFile(page, 'pair.qeff.json');
      await page.locator('.monaco-editor .view-line', { hasText: 'blocking' }).first().waitFor({ timeout: 20000 });
      const titles = await qeffPalette(page, 'QEff: Show Python Script');
      assert.ok(!titles.some(t => t.includes('QEff: Export and Compile Both Stages')), titles.join(' | '));
      await L.screenshot(page, 'run-05-untrusted');
    });
  });
  r.finish();
})().catch(e => { console.error(e); console.log('ui-runner: 0 passed, 1 failed'); process.exit(1); });
