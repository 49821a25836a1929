// What QEfficient writes beside a compiled `qpc/` folder, read through the FileHost (no node:fs: core code).
// Layout (QEfficient base/modeling_qeff.py `_compile`, release/v1.22.8.0; the same on release/v1.21.6):
//   <compile_dir>/qpc-<hash>/qpc/programqpc.bin     the compiled program (vllm-qaic check_qpc_exists needs it)
//   <compile_dir>/qpc-<hash>/specializations.json    {"specializations": [...]}: flat {"seq_len": "128", ...}
//                                                    dicts up to 1.22.7, {"name", "symbols": {...}} from 1.22.8
//                                                    (utils/_utils.py to_named_specializations); values strings
//   <compile_dir>/qpc-<hash>/custom_io.yaml          " - IOName: past_key.0_RetainedState\n   Precision: mxint8"
//   <compile_dir>/qpc-<hash>/qconfig.json            create_and_dump_qconfigs: huggingface_config,
//                                                    qpc_config.compiler_config (compile kwargs incl. prefill_only,
//                                                    mxint8_kv_cache, mxfp6_matmul), qpc_config.aic_sdk_config.
//                                                    Absent for a QPC compiled by hand (a captured compiler command).
import { dirname } from '../paths';
import type { FileHost } from '../types';
import { VLLM_KV_PREFIX } from './servingFacts';

export type KvNaming = 'prefixed' | 'plain' | 'mixed' | 'unknown';

export interface QpcFolder {
  dir: string;
  hasProgram: boolean;
  /** seq_len/ctx_len of each specialization; undefined when specializations.json is absent or unreadable. */
  specializations: { seqLen?: number; ctxLen?: number }[] | undefined;
  qconfig: { huggingface?: Record<string, unknown>; compiler?: Record<string, unknown>; sdk?: Record<string, unknown> } | undefined;
  kvNaming: KvNaming;
}

export function fileExists(host: FileHost, path: string): boolean {
  return host.isFile ? host.isFile(path) : host.readFile(path) !== undefined;
}

function json(host: FileHost, path: string): unknown {
  const text = host.readFile(path);
  if (text === undefined) return undefined;
  try { return JSON.parse(text) as unknown; } catch { return undefined; }
}

function obj(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : undefined;
}

function int(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined;
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}

function specializationsOf(v: unknown): QpcFolder['specializations'] {
  const list = obj(v)?.specializations;
  if (!Array.isArray(list)) return undefined;
  return list.map(e => {
    const flat = obj(obj(e)?.symbols) ?? obj(e) ?? {};
    return { seqLen: int(flat.seq_len), ctxLen: int(flat.ctx_len) };
  });
}

/** KV buffer names in custom_io.yaml: `past_key.N…`/`past_value.N…`, with or without the vLLM prefix. */
export function kvNamingOf(customIo: string | undefined): KvNaming {
  if (customIo === undefined) return 'unknown';
  const names = [...customIo.matchAll(/IOName:\s*(past_(?:key|value)\.\d+\S*)/g)].map(m => m[1]);
  if (!names.length) return 'unknown';
  const prefixed = names.filter(n => n.includes(VLLM_KV_PREFIX)).length;
  return prefixed === names.length ? 'prefixed' : prefixed === 0 ? 'plain' : 'mixed';
}

export function readQpcFolder(host: FileHost, dir: string): QpcFolder {
  const base = dirname(dir.replace(/[\\/]+$/, ''));
  const q = obj(json(host, `${base}/qconfig.json`));
  const qpcConfig = obj(q?.qpc_config);
  return {
    dir,
    hasProgram: fileExists(host, `${dir.replace(/[\\/]+$/, '')}/programqpc.bin`),
    specializations: specializationsOf(json(host, `${base}/specializations.json`)),
    qconfig: q && {
      huggingface: obj(q.huggingface_config),
      compiler: obj(qpcConfig?.compiler_config),
      sdk: obj(qpcConfig?.aic_sdk_config),
    },
    kvNaming: kvNamingOf(host.readFile(`${base}/custom_io.yaml`)),
  };
}

/** Both QPCs' KV naming combined: prefixed only when both are, mixed when they disagree. */
export function pairKvNaming(a: KvNaming, b: KvNaming): KvNaming {
  if (a === 'mixed' || b === 'mixed') return 'mixed';
  if (a === 'unknown' || b === 'unknown') return a === 'unknown' ? b : a;
  return a === b ? a : 'mixed';
}
