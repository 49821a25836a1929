// Minimal path handling that also runs in the browser (no node:path): POSIX and Windows drive paths.
export function isAbsolutePath(p: string): boolean {
  return p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');
}

export function dirname(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  if (i < 0) return '.';
  if (i === 0) return p[0];
  return p.slice(0, i);
}

export function basename(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? p : p.slice(i + 1);
}

/** Resolves `rel` against the folder `base`, normalising `.` and `..`; keeps the base's separator. */
export function resolvePath(base: string, rel: string): string {
  if (isAbsolutePath(rel)) return normalize(rel);
  const sep = base.includes('\\') && !base.includes('/') ? '\\' : '/';
  return normalize(base.replace(/[\\/]+$/, '') + sep + rel);
}

function normalize(p: string): string {
  const sep = p.includes('\\') && !p.includes('/') ? '\\' : '/';
  const parts = p.split(/[\\/]+/);
  const out: string[] = [];
  for (const part of parts) {
    if (part === '.') continue;
    if (part === '..' && out.length > 1) { out.pop(); continue; }
    if (part === '..' && out.length === 1 && out[0] !== '') { out.pop(); continue; }
    if (part === '..') continue;
    out.push(part);
  }
  const joined = out.join(sep);
  return joined === '' ? sep : joined;
}
