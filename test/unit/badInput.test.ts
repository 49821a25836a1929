// Hostile and broken input, through checkText and through the CLI: never a crash, always a clear
// diagnostic, every range inside the document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkText } from '../../src/core/check';
import { LineIndex } from '../../src/core/lineIndex';
import { nodeFileHost } from '../../src/core/nodeFileHost';
import type { Diagnostic, Position } from '../../src/core/types';
import { repoRoot } from './repoRoot';

const CLI = join(repoRoot(), 'dist', 'cli.js');

let tmp = '';
before(() => { tmp = mkdtempSync(join(tmpdir(), 'qeff-bad-input-')); });
after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Deterministic bytes (an LCG), so a failure reproduces. */
function pseudoRandomBytes(n: number, seed: number, noNul = false): Buffer {
  const b = Buffer.alloc(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    b[i] = noNul ? 1 + ((s >>> 16) % 255) : (s >>> 16) & 0xff;
  }
  return b;
}

const notAfter = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);

/** Offsets, lengths and ranges all lie inside `text`, and the range is the offsets' conversion. */
function assertInside(text: string, diags: Diagnostic[]): void {
  const lines = new LineIndex(text);
  const end = lines.positionAt(text.length);
  for (const d of diags) {
    const what = `${d.code} at ${d.offset}+${d.length} in a document of ${text.length}`;
    assert.ok(d.offset >= 0 && d.length >= 0, what);
    assert.ok(d.offset + d.length <= text.length, `${what}: past the end`);
    assert.ok(notAfter(d.range.start, d.range.end), what);
    assert.ok(notAfter(d.range.end, end), what);
    assert.deepEqual(d.range, lines.range(d.offset, d.length), what);
  }
}

/** The CLI's JSON ranges lie inside the document whose last position is `end`. */
function assertCliInside(out: any[], end: Position): void {
  for (const d of out) {
    assert.ok(d.range.start.line >= 0 && d.range.start.character >= 0, JSON.stringify(d));
    assert.ok(notAfter(d.range.start, d.range.end), JSON.stringify(d.range));
    assert.ok(notAfter(d.range.end, end), `${JSON.stringify(d.range)} past ${JSON.stringify(end)}`);
  }
}

interface BadInput {
  name: string;
  bytes: () => Buffer;
  /** The code every diagnostic has. */
  code: 'QEFF-JSON' | 'QEFF-SCHEMA';
  message?: RegExp;
  /** A known core bug makes the range check fail for this input (reported; the test stays strict). */
}


const INPUTS: BadInput[] = [
  { name: 'not JSON (YAML)', bytes: () => Buffer.from('model: openai/gpt-oss-20b\nprefill:\n  mode: chunking\n'), code: 'QEFF-JSON', message: /Not valid JSON/ },
  { name: 'not JSON (words)', bytes: () => Buffer.from('hello world'), code: 'QEFF-JSON', message: /Not valid JSON/ },
  { name: 'a truncated config', bytes: () => Buffer.from('{ "model": "openai/gpt-oss-20b", "prefill": {'), code: 'QEFF-JSON', message: /Closing brace/ },
  { name: 'binary with NUL bytes', bytes: () => { const b = pseudoRandomBytes(8192, 1); b[100] = 0; return b; }, code: 'QEFF-JSON', message: /NUL bytes/ },
  { name: 'binary without NUL bytes', bytes: () => pseudoRandomBytes(8192, 2, true), code: 'QEFF-JSON', message: /Not valid JSON/ },
  { name: 'an empty file', bytes: () => Buffer.alloc(0), code: 'QEFF-JSON', message: /empty/ },
  { name: 'whitespace only', bytes: () => Buffer.from('  \n\t\r\n   \n'), code: 'QEFF-JSON', message: /empty/ },
  { name: '10,000 nested arrays', bytes: () => Buffer.from('['.repeat(10000) + ']'.repeat(10000)), code: 'QEFF-JSON', message: /Nesting deeper than/ },
  { name: '10,000 nested objects', bytes: () => Buffer.from('{"a":'.repeat(10000) + '1' + '}'.repeat(10000)), code: 'QEFF-JSON', message: /Nesting deeper than/ },
  { name: '10,000 unclosed arrays', bytes: () => Buffer.from('['.repeat(10000)), code: 'QEFF-JSON', message: /Nesting deeper than/ },
  { name: 'a root array', bytes: () => Buffer.from('[{ "model": "openai/gpt-oss-20b" }]'), code: 'QEFF-SCHEMA', message: /must be an object/ },
  { name: 'a root number', bytes: () => Buffer.from('42\n'), code: 'QEFF-SCHEMA', message: /must be an object/ },
  { name: 'a root string', bytes: () => Buffer.from('"openai/gpt-oss-20b"'), code: 'QEFF-SCHEMA', message: /must be an object/ },
  { name: 'a root null', bytes: () => Buffer.from('null'), code: 'QEFF-SCHEMA', message: /must be an object/ },
];

describe('bad input through checkText', () => {
  for (const input of INPUTS) {
    test(`${input.name}: a ${input.code} diagnostic, no throw`, () => {
      const text = input.bytes().toString('utf8');
      const diags = checkText(text, { configPath: join(tmp, 'bad.qeff.json'), host: nodeFileHost });
      assert.ok(diags.length >= 1, 'at least one diagnostic');
      assert.deepEqual([...new Set(diags.map(d => d.code))], [input.code]);
      assert.ok(diags.every(d => d.severity === 'error'));
      if (input.message) assert.ok(diags.some(d => input.message!.test(d.message)), diags.map(d => d.message).join('\n'));
      assert.ok(diags.length <= 100, 'a bounded number of diagnostics');
    });
    test(`${input.name}: every range lies inside the document`, () => {
      const text = input.bytes().toString('utf8');
      assertInside(text, checkText(text));
    });
  }

  test('nesting: 256 levels parse, 257 do not; brackets inside strings do not count as nesting', () => {
    const nested = (n: number) => `{ "model": "openai/gpt-oss-20b", "x": ${'['.repeat(n - 1)}${']'.repeat(n - 1)} }`;
    const deep = (text: string) => checkText(text).filter(d => /Nesting deeper than/.test(d.message));
    assert.equal(deep(nested(256)).length, 0);
    assert.equal(deep(nested(257)).length, 1);
    // 300 brackets in a string: more than 256 in the text (the scan runs) but no nesting at all.
    assert.equal(deep(`{ "model": "openai/gpt-oss-20b", "x": "${'['.repeat(300)}" }`).length, 0);
  });

  test('the minimal counterexample of the end-of-text range bug: "{"', () => {
    const diags = checkText('{');
    assert.equal(diags[0].code, 'QEFF-JSON');
    assertInside('{', diags);
  });

  test('a 50 MB text: one QEFF-JSON "too large" diagnostic at the start', () => {
    const text = '{ "model": "openai/gpt-oss-20b", "pad": "' + 'a'.repeat(50 * 1024 * 1024) + '" }';
    const diags = checkText(text);
    assert.equal(diags.length, 1);
    assert.equal(diags[0].code, 'QEFF-JSON');
    assert.match(diags[0].message, /too large/);
    assertInside(text, diags);
  });
});

describe('bad input through the CLI', () => {
  for (const input of INPUTS) {
    test(`${input.name}: exit 1 with ${input.code}, ranges inside the document`, () => {
      const bytes = input.bytes();
      const file = join(tmp, `cli-${input.name.replace(/\W+/g, '-')}.qeff.json`);
      writeFileSync(file, bytes);
      const r = cli(['check', '--format', 'json', file]);
      assert.equal(r.status, 1, r.stderr);
      const out = JSON.parse(r.stdout) as any[];
      assert.ok(out.length >= 1);
      assert.deepEqual([...new Set(out.map(d => d.code))], [input.code]);
      assert.ok(out.every(d => d.file === file && d.severity === 'error'));
      if (input.message) assert.ok(out.some(d => input.message!.test(d.message)));
      const text = bytes.toString('utf8');
      assertCliInside(out, new LineIndex(text).positionAt(text.length));
      const plain = cli(['check', file]);
      assert.equal(plain.status, 1);
      assert.match(plain.stdout, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: error ${input.code} `));
    });
  }

  /** A 50 MB config-shaped file, written in 1 MB chunks (created once). */
  function hugeFile(): string {
    const file = join(tmp, 'huge.qeff.json');
    if (existsSync(file)) return file;
    const fd = openSync(file, 'w');
    writeSync(fd, '{ "model": "openai/gpt-oss-20b", "pad": "');
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 50; i++) writeSync(fd, chunk);
    writeSync(fd, '" }\n');
    closeSync(fd);
    return file;
  }

  test('a 50 MB file: a QEFF-JSON "too large" diagnostic, exit 1', () => {
    const file = hugeFile();
    const r = cli(['check', '--format', 'json', file]);
    assert.equal(r.status, 1, r.stderr);
    const out = JSON.parse(r.stdout) as any[];
    assert.equal(out.length, 1);
    assert.equal(out[0].code, 'QEFF-JSON');
    assert.match(out[0].message, /too large/);
    assert.deepEqual(out[0].range.start, { line: 0, character: 0 });
    assert.ok(notAfter(out[0].range.end, { line: 0, character: 50 * 1024 * 1024 }));
  });

  // The CLI does not read a file over the limit, yet the message gives the file's real size.
  test('a 50 MB file: the message gives the real size', () => {
    const file = hugeFile();
    const r = cli(['check', file]);
    assert.match(r.stdout, /\(50\.0 MB;/);
  });

  test('a missing file: exit 2 with the path in the message', () => {
    const file = join(tmp, 'no', 'such', 'config.qeff.json');
    const r = cli(['check', file]);
    assert.equal(r.status, 2);
    assert.equal(r.stdout, '');
    assert.ok(r.stderr.includes(file), r.stderr);
    // One missing file among good ones is still bad usage, and nothing is printed for the good ones.
    const good = join(tmp, 'good.qeff.json');
    writeFileSync(good, '{ "model": "tiny/x", "family": "gpt-oss-20b" }');
    const mixed = cli(['check', good, file]);
    assert.equal(mixed.status, 2);
    assert.equal(mixed.stdout, '');
    assert.ok(mixed.stderr.includes(file));
  });
});

describe('a node_precision_info that is not a YAML file', () => {
  let dir = '';
  before(() => {
    dir = join(tmp, 'npi-cases');
    mkdirSync(join(dir, 'npi', 'a_directory_npi.yaml'), { recursive: true });
    const fd = openSync(join(dir, 'npi', 'huge_subfunction_npi.yaml'), 'w');
    writeSync(fd, 'FP32NodeInstanceNames:\n');
    const line = Buffer.from('  - /model/layers.0/Add_output_0\n'.repeat(32 * 1024));
    for (let written = 0; written <= 17 * 1024 * 1024; written += line.length) writeSync(fd, line);
    closeSync(fd);
    writeFileSync(join(dir, 'npi', 'binary_subfunction_npi.yaml'), pseudoRandomBytes(4096, 3));
    writeFileSync(join(dir, 'npi', 'binary_nonul_subfunction_npi.yaml'), pseudoRandomBytes(4096, 4, true));
  });

  const config = (npi: string) => `{
  "model": "openai/gpt-oss-120b",
  "prefill": {
    "mode": "chunking",
    "compile": { "prefill_seq_len": 128, "ctx_len": 4096, "use_onnx_subfunctions": true, "node_precision_info": "${npi}" }
  }
}
`;

  for (const npi of ['npi/a_directory_npi.yaml', 'npi/huge_subfunction_npi.yaml', 'npi/binary_subfunction_npi.yaml', 'npi/binary_nonul_subfunction_npi.yaml']) {
    test(`${npi}: QEFF-NPI-02 on the path, through checkText and the CLI`, () => {
      const text = config(npi);
      const file = join(dir, `${npi.replace(/\W+/g, '-')}.qeff.json`);
      writeFileSync(file, text);
      const diags = checkText(text, { configPath: file, host: nodeFileHost });
      const at = text.indexOf(`"${npi}"`);
      const npi02 = diags.filter(d => d.code === 'QEFF-NPI-02');
      assert.equal(npi02.length, 1, JSON.stringify(diags.map(d => [d.code, d.message])));
      assert.equal(npi02[0].severity, 'error');
      assert.equal(npi02[0].offset, at);
      assert.equal(npi02[0].length, npi.length + 2);
      assertInside(text, diags);
      const r = cli(['check', '--format', 'json', file]);
      assert.equal(r.status, 1);
      const out = JSON.parse(r.stdout) as any[];
      assert.deepEqual(out.filter(d => d.code === 'QEFF-NPI-02').map(d => d.range), [npi02[0].range]);
    });
  }

  // YAML warnings (process.emitWarning) must not print a binary file's bytes on the CLI's stderr.
  test('a binary NPI file: nothing on the CLI\'s stderr', () => {
    const file = join(dir, 'binary-stderr.qeff.json');
    writeFileSync(file, config('npi/binary_nonul_subfunction_npi.yaml')); // starts with "!F": an unresolved YAML tag
    const r = cli(['check', file]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, '');
  });
});
