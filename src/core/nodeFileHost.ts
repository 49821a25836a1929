// A FileHost over node's fs, for the CLI and the extension host (not for the webview bundle).
// The files the check reads (NPI YAML files, a local model's config.json) are a few KB: a path from an
// untrusted config must not make the host read a device, /proc or an endless file. So: regular files only,
// a byte limit counted while reading (/proc files report size 0), and never /proc, /sys or /dev.
import { closeSync, constants, fstatSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import type { FileHost } from './types';

/** Upstream's NPI files are 2-42 KB (QEfficient release/v1.22.0, examples/disagg_serving/*_npi.yaml,
 *  QEfficient/transformers/models/gemma3/configs/*.yaml); model config.json files are a few KB. */
export const MAX_AUX_FILE = 1024 * 1024;

const PSEUDO_ROOTS = ['/proc/', '/sys/', '/dev/'];

export type ReadResult = { ok: true; text: string } | { ok: false; problem: string };

/** The text of a regular file of at most `maxBytes` bytes, or why it was not read. Never blocks on a FIFO
 *  or a device (O_NONBLOCK, then only regular files are read) and never reads more than maxBytes + 1. */
export function readBoundedFile(path: string, maxBytes = MAX_AUX_FILE): ReadResult {
  // A missing file is the common case while a path is typed: answered without an exception (they cost far more).
  if (!statSync(path, { throwIfNoEntry: false })) return { ok: false, problem: 'does not exist or cannot be read' };
  let real: string;
  try {
    real = realpathSync(path);
  } catch {
    return { ok: false, problem: 'does not exist or cannot be read' };
  }
  if (PSEUDO_ROOTS.some(r => real.startsWith(r))) return { ok: false, problem: 'is a system file (under /proc, /sys or /dev), not read' };
  let fd: number;
  try {
    fd = openSync(real, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return { ok: false, problem: 'does not exist or cannot be read' };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, problem: 'is not a regular file' };
    // The size only sizes the first buffer (a pseudo-file may report 0); the limit is counted while reading.
    let buf = Buffer.allocUnsafe(Math.min(Math.max(stat.size + 1, 4096), maxBytes + 1));
    let n = 0;
    while (n <= maxBytes) {
      if (n === buf.length) {
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    if (n > maxBytes) return { ok: false, problem: `is larger than ${maxBytes >= 1024 * 1024 ? `${maxBytes / (1024 * 1024)} MB` : `${maxBytes} bytes`}, not read` };
    return { ok: true, text: buf.toString('utf8', 0, n) };
  } catch {
    return { ok: false, problem: 'does not exist or cannot be read' };
  } finally {
    closeSync(fd);
  }
}

export const nodeFileHost: FileHost = {
  readFile(path: string): string | undefined {
    const r = readBoundedFile(path);
    return r.ok ? r.text : undefined;
  },
  readText: path => readBoundedFile(path),
  isFile(path: string): boolean {
    try { return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false; } catch { return false; }
  },
};
