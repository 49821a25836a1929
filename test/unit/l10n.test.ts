// The l10n bundle holds every runtime string of the extension (vscode.l10n.t), so that a translation has
// every key to map: the bundle is generated from the source and must not go stale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repoRoot';

test('l10n/bundle.l10n.json lists every vscode.l10n.t string of src/extension, and nothing else', () => {
  const r = spawnSync(process.execPath, [join(repoRoot(), 'scripts', 'gen-l10n.mjs'), '--check'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const bundle = JSON.parse(readFileSync(join(repoRoot(), 'l10n', 'bundle.l10n.json'), 'utf8')) as Record<string, string>;
  assert.ok(Object.keys(bundle).length > 50, 'the runtime strings are there');
  assert.ok('Fix all safe qeff-disagg problems' in bundle);
});
