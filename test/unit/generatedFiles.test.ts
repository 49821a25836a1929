// Issue 9, points 1 and 2: every line of a generated file is fixed text or a quoted value (no newline or
// control character from input reaches it raw), and a generated file is never written through a symlink.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderCompileScript } from '../../src/core/compileScript';
import { printable } from '../../src/core/printable';
import { editText, renderNewConfig } from '../../src/core/wizard';
import { existingAt, writeNoFollow } from '../../src/node/safeWrite';

const HOSTILE = ['\n', '\r', '\u2028', '\u2029', '\x1b', '\x00', '\x85', '\x7f', '\u202e', '\v', '\f'];
// Characters a line may hold: printable text and the tab (no C0 other than tab, no DEL/C1, no separators).
// eslint-disable-next-line no-control-regex
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f]/;

describe('Save as Script (.sh)', () => {
  const base = { stage: 'prefill', configName: 'pair.qeff.json', capturedAt: '2026-01-01T00:00:00Z', qpcDir: '/w/qpc', argv: ['/opt/qti-aic/exec/qaic-compile', '-aic-binary-dir=/w/qpc', 'a b'] };

  test('a QPC folder or config name with a newline cannot put a command on its own line', () => {
    for (const c of HOSTILE) {
      const r = renderCompileScript({ ...base, qpcDir: `/w/q${c}touch /tmp/pwned #`, configName: `x${c}rm -rf ~${c}.qeff.json` });
      assert.ok(r.ok);
      const lines = r.text.split('\n');
      assert.equal(lines.length, 8, JSON.stringify(c));
      for (const l of lines) assert.doesNotMatch(l, RAW);
      // Every line is a comment, the shebang, set -e or the exec line.
      assert.ok(lines.every(l => l === '' || l.startsWith('#') || l === 'set -e' || l.startsWith('exec ')), r.text);
    }
  });

  test('the script runs nothing but the compiler, even with a hostile QPC folder (sh -n parses it as 1 command)', () => {
    const r = renderCompileScript({ ...base, qpcDir: '/w/q\ntouch /tmp/qeff-pwned', argv: ['/bin/echo', "it's", '$(id)', '`id`'] });
    assert.ok(r.ok);
    const out = spawnSync('sh', ['-c', r.text.replace('#!/bin/sh\n', '')], { encoding: 'utf8' });
    assert.equal(out.stdout, "it's $(id) `id`\n");
  });

  test('an argument holding a control character is refused with its position', () => {
    const r = renderCompileScript({ ...base, argv: ['/bin/c', 'ok', 'x\ny'] });
    assert.ok(!r.ok);
    assert.match(r.problem, /argument 3 .*x\\\\ny/);
  });

  test('printable escapes what would break or hide a line', () => {
    assert.equal(printable('a\nb\r\x1b\u2028\u202e'), 'a\\nb\\r\\x1b\\u2028\\u202e');
    assert.equal(printable('plain /path_ok'), 'plain /path_ok');
  });
});

describe("the wizard's config", () => {
  test('no control or line-breaking character from a value reaches a line raw', () => {
    for (const c of HOSTILE) {
      const model = `m${c}"evil": 1, //${c}x`;
      const text = renderNewConfig({ model, prefill: true, 'prefill.mode': 'chunking' });
      for (const l of text.split('\n')) assert.doesNotMatch(l, RAW, JSON.stringify(c));
      const json = text.slice(text.indexOf('\n') + 1);
      assert.equal(JSON.parse(json).model, model); // the value itself is kept, quoted
    }
  });

  test('an edited config gets its values escaped the same way', () => {
    const base = '{\n  "model": "a"\n}\n';
    const text = editText(base, { model: 'a' }, { model: 'b\u2028c\x85' });
    assert.doesNotMatch(text, RAW);
    assert.equal(JSON.parse(text).model, 'b\u2028c\x85');
  });
});

describe('writing without following links', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qeff-nofollow-'));

  test('a dangling link is not followed: nothing appears at its target', async () => {
    const target = join(dir, 'outside.sh');
    const link = join(dir, 'dangling.compile.sh');
    symlinkSync(target, link);
    assert.equal(await existingAt(link), 'link');
    await assert.rejects(writeNoFollow(link, 'x', { replace: false, mode: 0o755 }));
    assert.equal(existsSync(target), false);
  });

  test('a link to an existing file is neither overwritten nor made executable', async () => {
    const target = join(dir, 'victim.txt');
    writeFileSync(target, 'keep', { mode: 0o600 });
    const link = join(dir, 'live.compile.sh');
    symlinkSync(target, link);
    await assert.rejects(writeNoFollow(link, 'x', { replace: true, mode: 0o755 }));
    assert.equal(readFileSync(target, 'utf8'), 'keep');
    assert.equal(statSync(target).mode & 0o777, 0o600);
    assert.ok(lstatSync(link).isSymbolicLink());
  });

  test('a new file is created with its mode; a real file is replaced only with replace', async () => {
    const p = join(dir, 'new.sh');
    assert.equal(await existingAt(p), 'none');
    await writeNoFollow(p, 'one', { replace: false, mode: 0o755 });
    assert.equal(statSync(p).mode & 0o777, 0o755);
    assert.equal(await existingAt(p), 'file');
    await assert.rejects(writeNoFollow(p, 'two', { replace: false }));
    await writeNoFollow(p, 'two', { replace: true, mode: 0o755 });
    assert.equal(readFileSync(p, 'utf8'), 'two');
  });
});
