// Bundles with esbuild: the extension (node, cjs, vscode external), the CLI (node, with a shebang) and,
// when present, the wizard's browser bundle.
import { build } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';

const production = process.argv.includes('--production');
// A production build starts clean: no source map of an earlier dev build may end up in the .vsix.
if (production) rmSync('dist', { recursive: true, force: true });
// jsonc-parser's UMD build hides its requires from bundlers: prefer the ESM builds.
// web-tree-sitter: bundle its CommonJS build; the ESM one reads import.meta.url, which is {} in a cjs bundle
// (research: python-callsite-parsing.md, "Loading the wasm in an esbuild-bundled extension").
const alias = { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' };
const common = { alias, bundle: true, mainFields: ['module', 'main'], minify: production, sourcemap: !production, logLevel: 'warning', legalComments: 'none' };

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
// The Python parser's two wasm files ship beside the bundles (the .vsix allow-list names them); only these files
// of tree-sitter-python (a devDependency) ship. Versions are pinned in package.json: the names changed in 0.26.
mkdirSync('dist', { recursive: true });
copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', 'dist/web-tree-sitter.wasm');
copyFileSync('node_modules/tree-sitter-python/tree-sitter-python.wasm', 'dist/tree-sitter-python.wasm');
