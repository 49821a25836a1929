// Writes l10n/bundle.l10n.json: every string the extension passes to vscode.l10n.t, keyed by itself (the
// English text is the default; a translation bundle, e.g. bundle.l10n.de.json, maps the same keys).
// test/unit/l10n.test.ts fails when the bundle and the source disagree: run `node scripts/gen-l10n.mjs`.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/** The first argument of each vscode.l10n.t('…') call under src/extension (single-quoted literals only). */
export function l10nStrings(root = ROOT) {
  const out = new Set();
  const walk = dir => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.ts')) {
        for (const m of readFileSync(p, 'utf8').matchAll(/l10n\.t\(\s*'((?:[^'\\]|\\.)*)'/g)) out.add(m[1].replace(/\\(.)/g, '$1'));
      }
    }
  };
  walk(join(root, 'src', 'extension'));
  return [...out].sort();
}

if (process.argv[1] === import.meta.filename) {
  const file = join(ROOT, 'l10n', 'bundle.l10n.json');
  const text = JSON.stringify(Object.fromEntries(l10nStrings().map(s => [s, s])), null, 2) + '\n';
  if (process.argv.includes('--check')) {
    // Exit 1 when the bundle is not what the source says (the unit test runs this).
    if (readFileSync(file, 'utf8') !== text) { console.error('l10n/bundle.l10n.json is stale: run node scripts/gen-l10n.mjs'); process.exit(1); }
  } else {
    writeFileSync(file, text);
    console.log(`wrote l10n/bundle.l10n.json (${text.split('\n').length - 3} strings)`);
  }
}
