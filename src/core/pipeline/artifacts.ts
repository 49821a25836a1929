// Where a stage's ONNX and QPC are on disk, found again from QEfficient's cache layout (no vscode import):
//   $QEFF_HOME/qeff-disagg/<trace-env key>/<ModelName>-<export hash>/<ModelName>.onnx   (the driver's export
//     folder, src/runner/qeff_driver.py export_for_compile; upstream export_utils.py appends -<hash>)
//   .../<ModelName>-<hash>/hashed_export_params.json   (upstream utils/export_utils.py _save_export_metadata, v1.22.0)
//   <QPC folder>/programqpc.bin   (upstream base/modeling_qeff.py _compile, v1.22.0: a QPC is complete when
//     programqpc.bin is there). QPC folders are the ones runs reported and captured commands name: a
//     qpc-<hash> folder beside a shared ONNX may come from another config's compile kwargs.
import { createHash } from 'node:crypto';
import { TRACE_ENV_VARS } from '../runnerProtocol';
import type { Mode, StageKey } from '../types';

export const EXPORT_ROOT = 'qeff-disagg';

export interface Entry { name: string; isDir: boolean; size: number; mtimeMs: number }

/** What the search may ask of the file system (a node fs host in the extension, a map in tests). */
export interface DirHost {
  /** The entries of a folder, or undefined when it cannot be listed. */
  list(path: string): Entry[] | undefined;
  stat(path: string): Entry | undefined;
  readText(path: string): string | undefined;
}

/** QEFF_HOME as upstream utils/cache.py (v1.21.0 to main) computes it from the environment. */
export function qeffHome(env: Record<string, string | undefined>, homeDir: string): string {
  if (env.QEFF_HOME) return env.QEFF_HOME;
  if (env.XDG_CACHE_HOME) return join(env.XDG_CACHE_HOME, 'qeff_models');
  return join(homeDir, '.cache', 'qeff_models');
}

/** The driver's folder name for the trace-time values (trace_env_key in qeff_driver.py; kept equal). */
export function traceEnvKey(env: Record<string, string>): string {
  const parts: string[] = [];
  for (const key of TRACE_ENV_VARS) {
    if (!(key in env)) continue;
    let value = env[key];
    if (!/^[A-Za-z0-9.+-]{1,32}$/.test(value)) value = 'h' + createHash('sha256').update(value, 'utf8').digest('hex').slice(0, 12);
    parts.push(`${key}=${value}`);
  }
  return parts.length ? parts.join(',') : 'no-trace-env';
}

export interface FoundFile { path: string; size: number; mtimeMs: number }

export interface StageArtifacts {
  onnx?: FoundFile;
  /** qpc: the folder holding programqpc.bin; size and mtime are programqpc.bin's. */
  qpc?: FoundFile;
}

export interface ArtifactQuery {
  qeffHome: string;
  stage: StageKey;
  mode: Mode;
  env: Record<string, string>;
  /** The model id: an export whose hashed params name another model is not this stage's. */
  model?: string;
  /** Paths a run reported, newest first (tried before the cache is searched). */
  reportedOnnx?: string[];
  reportedQpc?: string[];
}

/** The stage's newest ONNX (in its trace-env folder, for its stage and mode) and newest QPC. */
export function findStageArtifacts(host: DirHost, q: ArtifactQuery): StageArtifacts {
  const keyDir = join(q.qeffHome, EXPORT_ROOT, traceEnvKey(q.env));
  const onnx = newest([
    ...(q.reportedOnnx ?? []).filter(p => !p.startsWith(join(q.qeffHome, EXPORT_ROOT) + '/') || p.startsWith(keyDir + '/'))
      .map(p => file(host, p)),
    ...exportsIn(host, keyDir, q),
  ]);
  return { onnx, qpc: newest((q.reportedQpc ?? []).map(d => qpcAt(host, d))) };
}

/**
 * Whether an export folder's hashed_export_params.json belongs to this stage and mode: GPT-OSS exports hash
 * prefill_only=True (and chunking=True when chunking) for prefill, and drop them for decode, which hashes
 * retain_full_kv=True for full KV (upstream transformers/models/modeling_auto.py, v1.22.0, export()).
 */
export function exportMatches(params: Record<string, unknown>, stage: StageKey, mode: Mode, model?: string): boolean {
  // pretrained_model_name_or_path is hashed when from_pretrained passes it (utils/constants.py KWARGS_INCLUSION_LIST, v1.22.0).
  const named = params.pretrained_model_name_or_path;
  if (model !== undefined && typeof named === 'string' && named !== model) return false;
  const prefill = params.prefill_only === true;
  if (stage === 'prefill') return prefill && (params.chunking === true) === (mode === 'chunking');
  return !prefill && (params.retain_full_kv === true) === (mode === 'full-kv');
}

function exportsIn(host: DirHost, keyDir: string, q: ArtifactQuery): (FoundFile | undefined)[] {
  const out: (FoundFile | undefined)[] = [];
  for (const e of host.list(keyDir) ?? []) {
    if (!e.isDir || !/-[0-9a-f]+$/.test(e.name)) continue;
    const dir = join(keyDir, e.name);
    let params: unknown;
    try { params = JSON.parse(host.readText(join(dir, 'hashed_export_params.json')) ?? 'null'); } catch { continue; }
    if (!params || typeof params !== 'object' || !exportMatches(params as Record<string, unknown>, q.stage, q.mode, q.model)) continue;
    for (const f of host.list(dir) ?? []) if (!f.isDir && f.name.endsWith('.onnx')) out.push({ path: join(dir, f.name), size: f.size, mtimeMs: f.mtimeMs });
  }
  return out;
}

function qpcAt(host: DirHost, dir: string): FoundFile | undefined {
  const bin = host.stat(join(dir, 'programqpc.bin'));
  return bin && !bin.isDir ? { path: dir, size: bin.size, mtimeMs: bin.mtimeMs } : undefined;
}

function file(host: DirHost, path: string): FoundFile | undefined {
  const e = host.stat(path);
  return e && !e.isDir ? { path, size: e.size, mtimeMs: e.mtimeMs } : undefined;
}

function newest(list: (FoundFile | undefined)[]): FoundFile | undefined {
  let best: FoundFile | undefined;
  for (const f of list) if (f && (!best || f.mtimeMs > best.mtimeMs)) best = f;
  return best;
}

function join(...parts: string[]): string {
  return parts.join('/').replace(/\/{2,}/g, '/');
}
