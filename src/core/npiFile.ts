// Node-precision-info (NPI) files: YAML whose top-level FP32NodeInstanceNames lists ONNX tensor names.
import { parse as parseYaml } from 'yaml';
import { basename, isAbsolutePath, resolvePath } from './paths';
import type { FileHost } from './types';

export type NpiStatus =
  | { ok: true; path: string; names: number }
  | { ok: false; path: string; problem: string };

export function resolveConfigRelative(configDir: string | undefined, p: string): string | undefined {
  if (isAbsolutePath(p)) return resolvePath('/', p);
  return configDir ? resolvePath(configDir, p) : undefined;
}

// The same NPI file is checked on every keystroke of its config: parse its YAML again only when its text changed.
const MAX_CACHED = 32;
const parsed = new Map<string, { text: string; status: NpiStatus }>();

/** What real NPI files need, generously (upstream's are 2-42 KB). */
export const MAX_NPI_BYTES = 1024 * 1024;
/** Above this, YAML other than the plain block list is not parsed: the general parser takes ~1 ms per KB
 *  (and far more for deep nesting), on the extension host's diagnostics path. */
export const MAX_GENERAL_YAML = 16 * 1024;

export function checkNpiFile(path: string, host: FileHost): NpiStatus {
  const read = host.readText?.(path);
  if (read && !read.ok) return { ok: false, path, problem: read.problem };
  const text = read ? read.text : host.readFile(path);
  if (text === undefined) return { ok: false, path, problem: 'does not exist or cannot be read' };
  if (text.length > MAX_NPI_BYTES) return { ok: false, path, problem: 'is larger than 1 MB (NPI files are a few KB)' };
  const cached = parsed.get(path);
  if (cached && cached.text === text) return cached.status;
  const status = parseNpi(path, text);
  if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value!);
  parsed.set(path, { text, status });
  return status;
}

function parseNpi(path: string, text: string): NpiStatus {
  const scanned = scanBlockList(text);
  if (scanned !== undefined) {
    return scanned > 0 ? { ok: true, path, names: scanned } : { ok: false, path, problem: NO_LIST };
  }
  if (text.length > MAX_GENERAL_YAML) {
    return { ok: false, path, problem: `is over ${MAX_GENERAL_YAML / 1024} KB and not a plain "FP32NodeInstanceNames:" list with one "- name" per line, as QEfficient's NPI files are` };
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100, logLevel: 'error' });
  } catch (e) {
    return { ok: false, path, problem: `is not valid YAML (${(e as Error).message.split('\n')[0]})` };
  }
  const names = (doc as Record<string, unknown> | null)?.FP32NodeInstanceNames;
  if (!Array.isArray(names) || names.length === 0 || !names.every(n => typeof n === 'string')) {
    return { ok: false, path, problem: NO_LIST };
  }
  return { ok: true, path, names: names.length };
}

const NO_LIST = 'has no top-level FP32NodeInstanceNames list of tensor names';
const KEY_LINE = /^FP32NodeInstanceNames[ \t]*:[ \t]*(#.*)?$/;
const QUOTED_START = /^['"]/;
const MAYBE_NOT_STRING = /^[-+.~0-9nNtTfF]/;
// A plain scalar YAML would read as a string: no indicator first, no ": " or " #", not null/bool/number.
const PLAIN_FIRST = /^[^-?:,[\]{}#&*!|>'"%@`\s]/;
const NOT_STRING = /^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9_]*)?)(?:[eE][-+]?[0-9]+)?|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?)$/;
const QUOTED = /^(?:"(?:[^"\\]|\\.)*"|'(?:[^']|'')*')$/;

/**
 * The number of names in the form QEfficient's NPI files have ("FP32NodeInstanceNames:" then one
 * "- name" per line, comments and blank lines allowed), in one linear pass; undefined for anything else,
 * which the general YAML parser then decides on (small files only).
 */
export function scanBlockList(text: string): number | undefined {
  let pos = 0;
  const next = (): string | undefined => {
    if (pos > text.length) return undefined;
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.charCodeAt(end - 1) === 13 ? text.slice(pos, end - 1) : text.slice(pos, end);
    pos = end + 1;
    return line;
  };
  const skippable = (l: string) => { const t = l.trimStart(); return t === '' || (t.startsWith('#') && !l.includes('\t')); };
  let line = next();
  if (line === '---') line = next();
  while (line !== undefined && skippable(line)) line = next();
  if (line === undefined || !KEY_LINE.test(line)) return undefined;
  let indent = -1;
  let count = 0;
  for (line = next(); line !== undefined; line = next()) {
    let i = 0;
    while (line.charCodeAt(i) === 32) i++;
    if (line.charCodeAt(i) !== 45 || line.charCodeAt(i + 1) !== 32) {
      if (skippable(line)) continue;
      return undefined;
    }
    if (indent >= 0 && i !== indent) return undefined;
    indent = i;
    let value = line.slice(i + 2).trim();
    const hash = value.indexOf(' #');
    if (hash >= 0) value = value.slice(0, hash).trimEnd();
    if (!isStringScalar(value)) return undefined;
    count++;
  }
  return count;
}

function isStringScalar(value: string): boolean {
  if (QUOTED_START.test(value)) return QUOTED.test(value);
  if (!PLAIN_FIRST.test(value) || value.includes(': ') || value.endsWith(':') || value.includes('\t')) return false;
  // Only a value that could be null, a boolean or a number needs the full test.
  return !MAYBE_NOT_STRING.test(value) || !NOT_STRING.test(value);
}

/** "non_subfunction" in the base name marks a non-subfunction file; else "subfunction" marks one. */
export function npiKind(path: string): 'subfunction' | 'non_subfunction' | undefined {
  const name = basename(path);
  if (name.includes('non_subfunction')) return 'non_subfunction';
  if (name.includes('subfunction')) return 'subfunction';
  return undefined;
}
