// The DirHost of the artifact search (src/core/pipeline/artifacts.ts) over node's fs: synchronous and
// small (a few listings per stage), errors read as "absent".
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { DirHost, Entry } from '../core/pipeline/artifacts';

const MAX_TEXT = 1024 * 1024;

function entry(path: string, name: string): Entry | undefined {
  try {
    const st = statSync(path);
    return { name, isDir: st.isDirectory(), size: st.size, mtimeMs: st.mtimeMs };
  } catch {
    return undefined;
  }
}

export const nodeDirHost: DirHost = {
  list(path) {
    try {
      return readdirSync(path).map(n => entry(join(path, n), n)).filter((e): e is Entry => !!e);
    } catch {
      return undefined;
    }
  },
  stat(path) {
    return entry(path, path.slice(path.lastIndexOf('/') + 1));
  },
  readText(path) {
    const e = entry(path, '');
    if (!e || e.isDir || e.size > MAX_TEXT) return undefined;
    try { return readFileSync(path, 'utf8'); } catch { return undefined; }
  },
};
