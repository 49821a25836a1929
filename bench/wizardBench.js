// Benchmark of the wizard (issue 5), for bench/bench.ts: the time from the command "New Disaggregated
// Serving Config…" to an interactive wizard in a real workbench (code-server + headless chromium), and the
// size of the webview bundle as shipped (minified, as `npm run build:prod` makes it) and gzipped.
//
//   const { wizardBench } = require('../../bench/wizardBench.js');   // from out/bench/bench.js
//   const r = await wizardBench({ runs: 5 });
//
// "Interactive" means the page answered the ready -> init handshake and rendered its first step (the
// #app[data-ready] attribute the UI tests wait for). The first open in a fresh window is reported apart
// (it includes creating the webview's host frame); later opens reopen the closed panel. Needs the harness
// (`npm run vscode:setup`) and a build (`npm run build`): dist/extension.js and dist/webview/.
// Standalone: `node bench/wizardBench.js [runs]` prints the result as JSON.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const zlib = require('zlib');

const ROOT = path.resolve(__dirname, '..');

function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The webview bundle as shipped: built minified into a temporary folder with the options of scripts/build.mjs. */
async function bundleSize() {
  const { build } = require('esbuild');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'wizard-bundle-'));
  try {
    await build({
      entryPoints: [path.join(ROOT, 'webview/main.ts')], outfile: path.join(out, 'wizard.js'), bundle: true,
      mainFields: ['module', 'main'], minify: true, sourcemap: false, legalComments: 'none', logLevel: 'silent',
      platform: 'browser', format: 'iife', target: 'es2022',
    });
    const js = fs.readFileSync(path.join(out, 'wizard.js'));
    const css = fs.readFileSync(path.join(out, 'wizard.css'));
    return {
      bundleBytes: js.length, bundleGzipBytes: zlib.gzipSync(js, { level: 9 }).length,
      cssBytes: css.length, cssGzipBytes: zlib.gzipSync(css, { level: 9 }).length,
    };
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

async function openAndTime(page, L) {
  const t0 = await L.palette(page, 'QEff: New Disaggregated Serving Config…');
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await frame.locator('#app[data-ready="true"]').waitFor({ timeout: 60000 });
  const ms = Date.now() - t0;
  await L.palette(page, 'View: Close All Editors');
  await page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: 15000 }).catch(() => {});
  return ms;
}

/**
 * Runs the measurement. Returns { bundleBytes, bundleGzipBytes, cssBytes, cssGzipBytes,
 * firstOpenMs, commandToInteractiveMs: { medianMs, minMs, maxMs, runs } }.
 */
async function wizardBench({ runs = 5 } = {}) {
  const L = require(path.join(ROOT, 'test/e2e/lib.js'));
  const sizes = await bundleSize();
  const pkg = require(path.join(ROOT, 'package.json'));
  if (!fs.existsSync(path.join(ROOT, 'dist/extension.js')) || !fs.existsSync(path.join(ROOT, 'dist/webview/wizard.js'))) {
    throw new Error('wizardBench needs a build: run `npm run build` first');
  }
  const RUN = L.freshDir('bench-wizard');
  const WS = path.join(RUN, 'ws');
  fs.cpSync(path.join(ROOT, 'test/fixtures/workspace'), WS, { recursive: true });
  const extensionsDir = path.join(RUN, 'extensions');
  fs.mkdirSync(extensionsDir, { recursive: true });
  // The repository itself as the installed extension (no extensions.json: VS Code scans the folder).
  fs.symlinkSync(ROOT, path.join(extensionsDir, `${pkg.publisher}.${pkg.name}-${pkg.version}`));
  L.seedSettings(path.join(RUN, 'user-data'));
  const cs = await L.startCodeServer({ runDir: RUN, folder: WS, extensionsDir, disableWorkspaceTrust: true });
  let ctx;
  try {
    let page;
    ({ ctx, page } = await L.openWorkbench(cs, WS, RUN));
    await L.waitForActivation(cs, `${pkg.publisher}.${pkg.name}`);
    const firstOpenMs = await openAndTime(page, L);
    const times = [];
    for (let i = 0; i < runs; i++) times.push(await openAndTime(page, L));
    return {
      ...sizes, firstOpenMs,
      commandToInteractiveMs: { medianMs: median(times), minMs: Math.min(...times), maxMs: Math.max(...times), runs: times.length },
    };
  } finally {
    if (ctx) await ctx.close();
    await L.stopCodeServer(cs);
  }
}

module.exports = { wizardBench, bundleSize };

if (require.main === module) {
  wizardBench({ runs: Number(process.argv[2]) || 5 })
    .then(r => console.log(JSON.stringify(r, null, 1)))
    .catch(e => { console.error(e); process.exit(1); });
}
