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

export function checkNpiFile(path: string, host: FileHost): NpiStatus {
  const text = host.readFile(path);
  if (text === undefined) return { ok: false, path, problem: 'does not exist or cannot be read' };
  const cached = parsed.get(path);
  if (cached && cached.text === text) return cached.status;
  const status = parseNpi(path, text);
  if (parsed.size >= MAX_CACHED) parsed.delete(parsed.keys().next().value!);
  parsed.set(path, { text, status });
  return status;
}

function parseNpi(path: string, text: string): NpiStatus {
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100, logLevel: 'error' });
  } catch (e) {
    return { ok: false, path, problem: `is not valid YAML (${(e as Error).message.split('\n')[0]})` };
  }
  const names = (doc as Record<string, unknown> | null)?.FP32NodeInstanceNames;
  if (!Array.isArray(names) || names.length === 0 || !names.every(n => typeof n === 'string')) {
    return { ok: false, path, problem: 'has no top-level FP32NodeInstanceNames list of tensor names' };
  }
  return { ok: true, path, names: names.length };
}

/** "non_subfunction" in the base name marks a non-subfunction file; else "subfunction" marks one. */
export function npiKind(path: string): 'subfunction' | 'non_subfunction' | undefined {
  const name = basename(path);
  if (name.includes('non_subfunction')) return 'non_subfunction';
  if (name.includes('subfunction')) return 'subfunction';
  return undefined;
}
