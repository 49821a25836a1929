// The cut-off Levenshtein OPT-01 uses (band, bag-distance bound, early stop) against the plain full table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { charMask, levenshtein, maskBound } from '../../src/core/levenshtein';

const SEED = Number(process.env.QEFF_FC_SEED ?? Date.now() % 2 ** 31);

/** The textbook full table: the reference the fast version must agree with. */
function plain(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
  }
  return d[a.length][b.length];
}

test('known distances, with and without a cut-off', () => {
  assert.equal(levenshtein('kitten', 'sitting'), 3);
  assert.equal(levenshtein('kitten', 'sitting', 2), 3, 'beyond the cut-off: max + 1');
  assert.equal(levenshtein('ctx_len', 'ctx_lne', 2), 2);
  assert.equal(levenshtein('num_cores', 'num_core', 2), 1);
  assert.equal(levenshtein('', 'abc'), 3);
  assert.equal(levenshtein('abc', ''), 3);
  assert.equal(levenshtein('same', 'same', 0), 0);
  assert.equal(levenshtein('aé€😀', 'a€é😀', 2), 2, 'characters beyond ASCII share a count slot, the bound stays a lower bound');
});

test(`agrees with the full table for every cut-off (seed ${SEED})`, () => {
  // Small alphabets make near strings likely, so distances 0..3 are all exercised.
  const word = fc.string({ unit: fc.constantFrom('a', 'b', 'c', '_', 'é', '😀'), maxLength: 14 });
  fc.assert(fc.property(word, word, fc.constantFrom(0, 1, 2, 3, Infinity), (a, b, max) => {
    const want = plain(a, b);
    assert.equal(levenshtein(a, b, max), want > max ? max + 1 : want);
  }), { seed: SEED, numRuns: 3000 });
});

test(`the character-set bound never exceeds the distance (seed ${SEED})`, () => {
  // '@' and '\0' share a slot (code mod 64), as do 'a' and '!': the bound must hold across such collisions.
  const word = fc.string({ unit: fc.constantFrom('a', 'b', '!', '@', '\0', '_', 'é', '😀'), maxLength: 12 });
  fc.assert(fc.property(word, word, (a, b) => {
    assert.ok(maskBound(charMask(a), charMask(b)) <= levenshtein(a, b), `${JSON.stringify(a)} ~ ${JSON.stringify(b)}`);
  }), { seed: SEED, numRuns: 3000 });
});

test('the bound rejects unrelated names and keeps near ones', () => {
  assert.ok(maskBound(charMask('x_opt_00001'), charMask('num_cores')) > 2);
  assert.ok(maskBound(charMask('num_core'), charMask('num_cores')) <= 1);
});
