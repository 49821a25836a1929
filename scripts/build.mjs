// Bundles with esbuild: the extension (node, cjs, vscode external), the CLI (node, with a shebang) and,
// when present, the wizard's browser bundle.
import { build } from 'esbuild';
import { existsSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
// A production build starts clean: no source map of an earlier dev build may end up in the .vsix.
if (production) rmSync('dist', { recursive: true, force: true });
// jsonc-parser's UMD build hides its requires from bundlers: prefer the ESM builds.
const common = { bundle: true, mainFields: ['module', 'main'], minify: production, sourcemap: !production, logLevel: 'warning', legalComments: 'none' };

const jobs = [
  build({ ...common, entryPoints: ['src/cli/cli.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs',
    target: 'node20', banner: { js: '#!/usr/bin/env node' } }),
];
if (existsSync('src/extension/extension.ts')) {
  jobs.push(build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js',
    platform: 'node', format: 'cjs', target: 'node20', external: ['vscode'] }));
}
if (existsSync('webview/main.ts')) {
  jobs.push(build({ ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview/wizard.js',
    platform: 'browser', format: 'iife', target: 'es2022' }));
}
await Promise.all(jobs);
