// Issue 9, point 3: a path in an untrusted config must not make the extension host (or the CLI) read a
// device, /proc or an endless file, nor parse megabytes of YAML on the diagnostics path.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkText } from '../../src/core/check';
import { MAX_AUX_FILE, nodeFileHost, readBoundedFile } from '../../src/core/nodeFileHost';
import { checkNpiFile, scanBlockList } from '../../src/core/npiFile';
import type { FileHost } from '../../src/core/types';

const dir = mkdtempSync(join(tmpdir(), 'qeff-hostile-'));
const config = (npi: string) => `{ "model": "openai/gpt-oss-120b", "decode": { "mode": "full-kv", "compile": { "node_precision_info": ${JSON.stringify(npi)} } } }`;
const npi02 = (npi: string) => checkText(config(npi), { configPath: join(dir, 'c.qeff.json'), host: nodeFileHost }).filter(d => d.code === 'QEFF-NPI-02');
const flowYaml = (n: number) => '{FP32NodeInstanceNames: [' + Array.from({ length: n }, (_, i) => `"/model/layers.${i}/Add_output_0"`).join(', ') + ']}\n';
const blockYaml = (n: number) => 'FP32NodeInstanceNames:\n' + Array.from({ length: n }, (_, i) => `  - /model/layers.${i}/Add_output_0\n`).join('');

describe('reading files named by a config', () => {
  before(() => {
    symlinkSync('/proc/self/pagemap', join(dir, 'pagemap_npi.yaml'));
    spawnSync('mkfifo', [join(dir, 'fifo_npi.yaml')]);
    writeFileSync(join(dir, 'big.yaml'), 'x'.repeat(MAX_AUX_FILE + 1));
    writeFileSync(join(dir, 'exact.yaml'), 'x'.repeat(MAX_AUX_FILE));
  });

  for (const p of ['/proc/self/pagemap', '/proc/self/environ', '/sys/kernel/mm/transparent_hugepage/enabled', '/dev/zero', '/dev/urandom']) {
    test(`${p} is refused as a system file (size 0 in stat, endless or secret when read)`, () => {
      const r = readBoundedFile(p);
      assert.ok(!r.ok);
      assert.match(r.problem, /system file/);
      assert.equal(npi02(p).length, 1);
    });
  }

  test('a link to /proc/self/pagemap is refused too', () => {
    const r = readBoundedFile(join(dir, 'pagemap_npi.yaml'));
    assert.ok(!r.ok && /system file/.test(r.problem));
  });

  test('a FIFO is not opened for a blocking read', () => {
    const r = readBoundedFile(join(dir, 'fifo_npi.yaml'));
    assert.ok(!r.ok);
    assert.match(r.problem, /not a regular file/);
  });

  test('the byte limit holds while reading: 1 MB is read, 1 MB + 1 byte is not', () => {
    const big = readBoundedFile(join(dir, 'big.yaml'));
    assert.ok(!big.ok && /larger than 1 MB/.test(big.problem));
    const exact = readBoundedFile(join(dir, 'exact.yaml'));
    assert.ok(exact.ok && exact.text.length === MAX_AUX_FILE);
  });

  test('every size around the first buffer reads back byte for byte, and a lower limit is kept', () => {
    for (const size of [0, 1, 4095, 4096, 4097, 100_000]) {
      const file = join(dir, `sized-${size}.yaml`);
      const text = Array.from({ length: size }, (_, i) => String.fromCharCode(97 + (i % 26))).join('');
      writeFileSync(file, text);
      const r = readBoundedFile(file);
      assert.ok(r.ok && r.text === text, `size ${size}`);
    }
    const limited = readBoundedFile(join(dir, 'sized-100000.yaml'), 99_999);
    assert.ok(!limited.ok && /larger than 99999 bytes/.test(limited.problem));
  });
});

describe('NPI files: only the plain list is parsed when large', () => {
  const host = (text: string): FileHost => ({ readFile: () => text });

  test('a 10 MB flow-style YAML is refused by size, not parsed', () => {
    const s = checkNpiFile('/x/ten.yaml', host(flowYaml(300_000)));
    assert.ok(!s.ok);
    assert.match(s.problem, /larger than 1 MB/);
  });

  test('a 1 MB flow-style YAML or 1 MB of nested brackets is not given to the general YAML parser', () => {
    for (const text of [flowYaml(20_000), '['.repeat(1_000_000)]) {
      const s = checkNpiFile(`/x/${text.length}.yaml`, host(text));
      assert.ok(!s.ok);
      assert.match(s.problem, /over 16 KB and not a plain "FP32NodeInstanceNames:" list/);
    }
  });

  test('a 1 MB list in the form upstream writes is read in one pass', () => {
    const text = blockYaml(28_000);
    assert.ok(text.length < 1024 * 1024 && text.length > 900_000);
    assert.deepEqual(checkNpiFile('/x/block.yaml', host(text)), { ok: true, path: '/x/block.yaml', names: 28_000 });
  });

  test('small files in other YAML forms still go to the YAML parser', () => {
    assert.deepEqual(checkNpiFile('/x/flow-small.yaml', host(flowYaml(3))), { ok: true, path: '/x/flow-small.yaml', names: 3 });
  });

  test('the one-pass scan agrees with the YAML parser wherever it answers', () => {
    const cases = [
      blockYaml(3), '# c\nFP32NodeInstanceNames: # names\n\n- a\n- "b c"\n- \'d\'\'e\' # x\n', 'FP32NodeInstanceNames:\n  - 12\n',
      'FP32NodeInstanceNames:\n  - true\n', 'FP32NodeInstanceNames:\n  - a: b\n', 'FP32NodeInstanceNames:\n  - a\n - b\n',
      'FP32NodeInstanceNames:\n', 'FP32NodeInstanceNames:\n  - &x a\n', 'FP32NodeInstanceNames:\n  - a#b\n  - ~\n',
      'Other: 1\nFP32NodeInstanceNames:\n  - a\n', 'FP32NodeInstanceNames:\n  - a\nOther: 1\n', '---\nFP32NodeInstanceNames:\n  - .inf\n',
    ];
    for (const text of cases) {
      const scanned = scanBlockList(text);
      if (scanned === undefined) continue;
      const names = (parseYaml(text) as { FP32NodeInstanceNames?: unknown[] } | null)?.FP32NodeInstanceNames;
      const expected = Array.isArray(names) && names.every(n => typeof n === 'string') ? names.length : 0;
      assert.equal(scanned, expected, JSON.stringify(text));
    }
    assert.equal(scanBlockList(cases[1]), 3);
  });
});

describe('upstream NPI files', () => {
  // examples/disagg_serving/{subfunction,non_subfunction}_120b_npi.yaml in QEfficient release/v1.22.0 start
  // "FP32NodeInstanceNames:" then "  - /model/layers.0/..." lines; gemma3's start with a blank line after the key.
  test('the upstream shapes are read by the one-pass scan', () => {
    assert.equal(scanBlockList('FP32NodeInstanceNames:\n  - /model/layers.0/Add_1_output_0\n  - onnx::Shape_139893\n'), 2);
    assert.equal(scanBlockList('FP32NodeInstanceNames:\n\n  - /language_model/layers.0/Add_1_output_0\n'), 1);
  });
});
