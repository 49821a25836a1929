// Reads a file descriptor up to a byte limit and stops there: `compile-command /dev/zero` or an endless pipe
// must not read until memory is gone. Files and devices report no useful size, so the limit is counted while
// reading, never taken from stat.
import { closeSync, openSync, readSync } from 'node:fs';

export interface BoundedText {
  text: string;
  /** The input goes on past the limit: reading stopped there and `text` is empty. */
  more: boolean;
}

const CHUNK = 1024 * 1024;

export function readFdBounded(fd: number, maxBytes: number): BoundedText {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    // One byte past the limit tells "exactly at the limit" from "more".
    const buf = Buffer.allocUnsafe(Math.min(CHUNK, maxBytes + 1 - total));
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      // A non-blocking stdin (a pipe set so by the parent) has no data yet: wait a little and retry.
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
      continue;
    }
    if (n === 0) break;
    chunks.push(buf.subarray(0, n));
    total += n;
    if (total > maxBytes) break;
  }
  // Over the limit the text is not decoded: the caller refuses it.
  return total > maxBytes ? { text: '', more: true } : { text: Buffer.concat(chunks).toString('utf8'), more: false };
}

export function readFileBounded(path: string, maxBytes: number): BoundedText {
  const fd = openSync(path, 'r');
  try {
    return readFdBounded(fd, maxBytes);
  } finally {
    closeSync(fd);
  }
}
