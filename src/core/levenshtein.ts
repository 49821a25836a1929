// Levenshtein distance with a cut-off. OPT-01 compares every unknown compile key with every known one and
// only wants distances 1 and 2, so the common case must be cheap: a length check, a character-count bound,
// then only the diagonal band |i - j| <= max of the table (Ukkonen), with a stop when the band exceeds max.

/** Two rows reused across calls. */
let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
/** Per character code: count in a minus count in b (codes < 128; others share one slot). */
const counts = new Int32Array(129);

/**
 * A lower bound of the edit distance: each edit changes the character counts by at most one on each side
 * (the bag distance). Cheap, and enough to reject most unrelated names without the table.
 */
function bagDistance(a: string, b: string): number {
  for (let i = 0; i < a.length; i++) counts[Math.min(a.charCodeAt(i), 128)]++;
  for (let i = 0; i < b.length; i++) counts[Math.min(b.charCodeAt(i), 128)]--;
  let more = 0;
  let fewer = 0;
  for (let i = 0; i < a.length; i++) {
    const c = Math.min(a.charCodeAt(i), 128);
    const n = counts[c];
    if (n > 0) more += n; else fewer -= n;
    counts[c] = 0;
  }
  for (let i = 0; i < b.length; i++) {
    const c = Math.min(b.charCodeAt(i), 128);
    fewer -= counts[c];
    counts[c] = 0;
  }
  return more > fewer ? more : fewer;
}

/** The characters of a string as a 64-bit set (two 32-bit halves, code mod 64): see maskBound. */
export function charMask(s: string): [number, number] {
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) & 63;
    if (c < 32) lo |= 1 << c; else hi |= 1 << (c - 32);
  }
  return [lo, hi];
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/**
 * A lower bound of the edit distance from two charMasks: every character of one string that the other lacks
 * costs at least one edit. Characters folded together by the mod only lower it, so it stays a bound.
 */
export function maskBound(a: [number, number], b: [number, number]): number {
  const onlyA = popcount(a[0] & ~b[0]) + popcount(a[1] & ~b[1]);
  const onlyB = popcount(b[0] & ~a[0]) + popcount(b[1] & ~a[1]);
  return onlyA > onlyB ? onlyA : onlyB;
}

/** Levenshtein distance, giving up (returning max + 1) once it must exceed `max`. */
export function levenshtein(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (max < Infinity && bagDistance(a, b) > max) return max + 1;
  const n = b.length;
  if (rowA.length <= n + 1) {
    rowA = new Int32Array(n + 2);
    rowB = new Int32Array(n + 2);
  }
  // Without a cut-off the band is the whole table.
  const band = max < Infinity ? max : Math.max(n, a.length);
  const big = n + a.length + 1;
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= n; j++) prev[j] = j <= band ? j : big;
  for (let i = 1; i <= a.length; i++) {
    const lo = i - band > 1 ? i - band : 1;
    const hi = i + band < n ? i + band : n;
    cur[0] = i <= band ? i : big;
    if (lo > 1) cur[lo - 1] = big;
    let rowMin = cur[0];
    const ca = a.charCodeAt(i - 1);
    for (let j = lo; j <= hi; j++) {
      const del = prev[j] + 1;
      const ins = cur[j - 1] + 1;
      const sub = prev[j - 1] + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const v = del < ins ? (del < sub ? del : sub) : (ins < sub ? ins : sub);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (hi < n) cur[hi + 1] = big;
    if (rowMin > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[n] > max ? max + 1 : prev[n];
}
