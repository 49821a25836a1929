// A FileHost over node's fs, for the CLI and the extension host (not for the webview bundle).
import { readFileSync, statSync } from 'node:fs';
import type { FileHost } from './types';

/** Files larger than this are reported as unreadable rather than loaded (NPI files are a few KB). */
const MAX_AUX_FILE = 16 * 1024 * 1024;

export const nodeFileHost: FileHost = {
  readFile(path: string): string | undefined {
    try {
      const st = statSync(path);
      if (!st.isFile() || st.size > MAX_AUX_FILE) return undefined;
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  isFile(path: string): boolean {
    try { return statSync(path).isFile(); } catch { return false; }
  },
};
