// `npm start`: the product in a browser. Installs the VS Code harness if needed (code-server from npm),
// packages the extension into a .vsix, installs it into a private code-server, opens examples/ on
// 127.0.0.1 and prints the URL; Ctrl-C stops the server cleanly.
// Env: PORT (default 8080; 0 picks a free port), QEFF_START_FOLDER (default examples/).
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run('bash', ['scripts/setup-code-server.sh']);
run('npm', ['run', '--silent', 'package']);

const L = createRequire(import.meta.url)(join(root, 'test/e2e/lib.js'));
// The harness reaps servers with SIGKILL on a signal; here Ctrl-C stops the server gracefully instead.
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.removeAllListeners(sig);

const runDir = join(L.VT, 'start');
const extensionsDir = join(runDir, 'extensions');
rmSync(extensionsDir, { recursive: true, force: true }); // always the freshly built .vsix
mkdirSync(runDir, { recursive: true });
L.installVsix(join(L.VT, 'qeff-disagg.vsix'), extensionsDir, runDir);
L.seedSettings(join(runDir, 'user-data'), { 'workbench.startupEditor': 'none' });

const folder = resolve(root, process.env.QEFF_START_FOLDER || 'examples');
const port = process.env.PORT ?? '8080';
const cs = await L.startCodeServer({ runDir, folder, extensionsDir, port: Number(port) });
console.log(`\nqeff-disagg is running in VS Code (code-server) at:\n\n  ${L.workbenchUrl(cs, folder)}\n\nOpen a *.qeff.json file. Press Ctrl-C to stop.`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('\nstopping code-server…');
  await L.stopCodeServer(cs);
  process.exit(0);
};
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stop());
cs.child.once('exit', code => { if (!stopping) { console.error(`code-server exited (${code}); see ${cs.logFile}`); process.exit(1); } });
