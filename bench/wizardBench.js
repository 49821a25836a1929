// Benchmark of the wizard (issue 5), for bench/bench.ts: the time from the command "New Disaggregated
// Serving Config…" to an interactive wizard in a real workbench (code-server + headless chromium), and the
// size of the webview bundle as shipped (minified, as `npm run build:prod` makes it) and gzipped.
//
//   const { wizardBench } = require('../../bench/wizardBench.js');   // from out/bench/bench.js
//   const r = await wizardBench({ runs: 5 });
//
// "Interactive" means the page answered the ready -> init handshake and rendered its first step (the
// #app[data-ready] attribute the UI tests wait for). The first open in a fresh window is reported apart
// (it includes creating the webview's host frame and installing VS Code's webview service worker in the
// fresh browser profile: see firstOpenPhases "host:content/workerReadyMs"); later opens reopen the closed
// panel; newWindowOpenMs is the first open after a window reload (same profile, worker installed). Needs the harness
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

/**
 * Where an open's time went, from the command (t0, wall clock): when the workbench started the webview's host
 * frame and the page's own frame, when the page's script ran (the marks in webview/main.ts and
 * webview/wizardApp.ts), and how long the bundle and stylesheet took to load.
 */
async function phases(page, t0) {
  const inner = page.frames().find(f => f.url().includes('fake.html') || f.name() === 'active-frame')
    ?? page.frames().find(f => f.parentFrame()?.url().includes('webview'));
  if (!inner) return undefined;
  const read = f => f.evaluate(() => ({
    origin: performance.timeOrigin,
    marks: Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, m.startTime])),
    resources: performance.getEntriesByType('resource').map(r => ({ name: r.name.split('/').pop().split('?')[0], start: r.startTime, ms: r.duration, bytes: r.transferSize })),
  }));
  const pageT = await read(inner);
  const hostT = inner.parentFrame() ? await read(inner.parentFrame()) : undefined;
  const at = ms => Math.round(pageT.origin + ms - t0);
  const out = { hostFrameStartMs: hostT ? Math.round(hostT.origin - t0) : undefined };
  // The host frame's own marks (VS Code's webview/browser/pre/index.html): its service worker, the content.
  for (const [name, ms] of Object.entries(hostT?.marks ?? {})) out[`host:${name.replace('webview/index.html/', '')}Ms`] = Math.round(hostT.origin + ms - t0);
  out.pageFrameStartMs = Math.round(pageT.origin - t0);
  for (const [name, ms] of Object.entries(pageT.marks)) out[name.replace('wizard:', '') + 'Ms'] = at(ms);
  out.loads = pageT.resources.filter(r => /\.(js|css)$/.test(r.name)).map(r => ({ name: r.name, startMs: at(r.start), ms: Math.round(r.ms) }));
  return out;
}

async function openAndTime(page, L, detail = false) {
  const t0 = await L.palette(page, 'QEff: New Disaggregated Serving Config…');
  const frame = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
  await frame.locator('#app[data-ready="true"]').waitFor({ timeout: 60000 });
  const ms = Date.now() - t0;
  const detailOut = detail ? await phases(page, t0).catch(e => ({ error: String(e) })) : undefined;
  await L.palette(page, 'View: Close All Editors');
  await page.locator('iframe.webview').first().waitFor({ state: 'detached', timeout: 15000 }).catch(() => {});
  return detail ? { ms, phases: detailOut } : ms;
}

/**
 * Runs the measurement. Returns { bundleBytes, bundleGzipBytes, cssBytes, cssGzipBytes, firstOpenMs,
 * firstOpenPhases, laterOpenPhases, commandToInteractiveMs: { medianMs, minMs, maxMs, runs } }.
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
    const first = await openAndTime(page, L, true);
    const times = [];
    for (let i = 0; i < runs; i++) times.push(await openAndTime(page, L));
    const again = await openAndTime(page, L, true);
    // A new window of the same browser profile: the webview service worker is installed already.
    await page.reload();
    await page.locator('.monaco-workbench').waitFor({ timeout: 60000 });
    await L.sleep(5000); // the workspace's configs activate the extension on their own
    const newWindow = await openAndTime(page, L, true);
    return {
      ...sizes, firstOpenMs: first.ms, firstOpenPhases: first.phases, laterOpenPhases: again.phases,
      newWindowOpenMs: newWindow.ms, newWindowPhases: newWindow.phases,
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
