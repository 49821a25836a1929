// What the webview may learn about files: the text of the files the core's check reads (NPI YAML files and a
// local model's config.json), nothing else, each at most 1 MB; and paths as the config writes them.
import * as path from 'node:path';
import { nodeFileHost } from '../../core/nodeFileHost';
import type { FileCache } from '../../core/wizard';

const MAX_FILE = 1024 * 1024;
const MAX_PATHS = 16;

export function mayRead(p: string): boolean {
  if (!path.isAbsolute(p)) return false;
  const base = path.basename(p).toLowerCase();
  return base.endsWith('.yaml') || base.endsWith('.yml') || base === 'config.json';
}

/** path -> text, or null when it does not exist, cannot be read, is too large or is not a file the check reads. */
export function readFilesForWebview(paths: readonly string[]): FileCache {
  const out: FileCache = {};
  for (const p of paths.slice(0, MAX_PATHS)) {
    if (!mayRead(p)) { out[p] = null; continue; }
    const text = nodeFileHost.readFile(p);
    out[p] = text !== undefined && text.length <= MAX_FILE ? text : null;
  }
  return out;
}

/** A path relative to `folder` (POSIX separators) when the file is beneath it, else the absolute path. */
export function relativeTo(folder: string, file: string): string {
  const rel = path.relative(folder, file);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return file;
}
