// Issue 9, point 7: command and option names that are properties of every object (constructor, toString,
// __proto__...) are unknown names like any other: a usage error, exit 2, no stack trace.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repoRoot';

const CLI = join(repoRoot(), 'dist', 'cli.js');
const EXAMPLE = join(repoRoot(), 'examples', readdirSync(join(repoRoot(), 'examples')).find(f => f.endsWith('.qeff.json'))!);
const cli = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input: '', timeout: 60_000 });

for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'isPrototypeOf']) {
  test(`"qeff-disagg ${name}" is an unknown command (exit 2)`, () => {
    const r = cli([name]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`unknown command "${name}"`));
    assert.doesNotMatch(r.stderr, /internal error|\n {4}at /);
  });
}

for (const cmd of ['check', 'plan', 'compile-command']) {
  for (const opt of ['--toString=x', '--constructor=x', '--__proto__=x', '--hasOwnProperty']) {
    test(`"qeff-disagg ${cmd} ${opt}" is an unknown option (exit 2)`, () => {
      const r = cli([cmd, opt, EXAMPLE]);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /unknown option --/);
      assert.doesNotMatch(r.stderr, /internal error|\n {4}at /);
    });
  }
}
