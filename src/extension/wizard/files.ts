// What the webview may learn about files: the text of the files the core's check reads (NPI YAML files and a
// local model's config.json), nothing else, each at most 1 MB, and only inside the workspace or inside what
// the user picked in this panel (a folder, a file, or the config the wizard was opened on); paths as the
// config writes them. Paths are compared after resolving links: a link in the workspace to a file outside
// it is outside.
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { readBoundedFile } from '../../core/nodeFileHost';
import type { FileCache } from '../../core/wizard';

const MAX_FILE = 1024 * 1024;
const MAX_PATHS = 16;

export function mayRead(p: string): boolean {
  if (!path.isAbsolute(p)) return false;
  const base = path.basename(p).toLowerCase();
  return base.endsWith('.yaml') || base.endsWith('.yml') || base === 'config.json';
}

function real(p: string): string | undefined {
  try {
    return realpathSync(p);
  } catch {
    return undefined;
  }
}

function isInside(root: string, file: string): boolean {
  const rel = path.relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The folders and files one wizard panel may read beyond the workspace: what its user picked. */
export class FileGrants {
  private readonly granted = new Set<string>();

  /** A folder grants what is beneath it; a file grants itself. */
  grant(p: string): void {
    const r = real(p);
    if (r) this.granted.add(r);
  }

  /** May the webview read `p`, given the workspace folders (file system paths)? */
  allows(p: string, workspaceFolders: readonly string[]): boolean {
    const r = real(p);
    if (!r) return false;
    const roots = [...workspaceFolders.map(real).filter((x): x is string => !!x), ...this.granted];
    return roots.some(root => isInside(root, r));
  }
}

/** path -> text, or null when it does not exist, cannot be read, is too large, is not a file the check
 *  reads, or lies outside the workspace and what the user picked. */
export function readFilesForWebview(paths: readonly string[], grants: FileGrants, workspaceFolders: readonly string[]): FileCache {
  const out: FileCache = {};
  for (const p of paths.slice(0, MAX_PATHS)) {
    if (!mayRead(p) || !grants.allows(p, workspaceFolders)) { out[p] = null; continue; }
    const r = readBoundedFile(p, MAX_FILE);
    out[p] = r.ok ? r.text : null;
  }
  return out;
}

/** A path relative to `folder` (POSIX separators) when the file is beneath it, else the absolute path. */
export function relativeTo(folder: string, file: string): string {
  const rel = path.relative(folder, file);
  if (rel && !rel.startsWith('..') && !path.isAbsolute(rel)) return rel.split(path.sep).join('/');
  return file;
}
