// Offsets and positions as VS Code counts them: lines break at \n, \r\n and \r. Both paths of LineIndex (text
// without \r, searched natively; text with \r, scanned) against a plain reference.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LineIndex } from '../../src/core/lineIndex';

const SEED = Number(process.env.QEFF_FC_SEED ?? Date.now() % 2 ** 31);

/** The reference: the start offset of every line. */
function lineStarts(text: string): number[] {
  const starts = [0];
  const re = /\r\n|\r|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

test('known positions, with \\n only and with \\r\\n and \\r', () => {
  const unix = new LineIndex('ab\ncd\n');
  assert.deepEqual(unix.positionAt(4), { line: 1, character: 1 });
  assert.deepEqual(unix.positionAt(6), { line: 2, character: 0 });
  const mixed = new LineIndex('ab\r\ncd\ref');
  assert.deepEqual(mixed.positionAt(4), { line: 1, character: 0 });
  assert.deepEqual(mixed.positionAt(7), { line: 2, character: 0 });
  assert.equal(mixed.offsetAt({ line: 2, character: 1 }), 8);
});

test(`positionAt and offsetAt agree with the reference for every offset (seed ${SEED})`, () => {
  const text = fc.array(fc.constantFrom('a', 'é', '\n', '\r', '\r\n'), { maxLength: 40 }).map(parts => parts.join(''));
  fc.assert(fc.property(text, t => {
    const starts = lineStarts(t);
    const index = new LineIndex(t);
    for (let offset = 0; offset <= t.length; offset++) {
      let line = 0;
      while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
      assert.deepEqual(index.positionAt(offset), { line, character: offset - starts[line] });
    }
    starts.forEach((start, line) => assert.equal(index.offsetAt({ line, character: 0 }), start));
  }), { seed: SEED, numRuns: 1000 });
});
