// The qaic_disagg launch command of a config's "serving" section: an argv array (what is started), its POSIX
// shell rendering (what is shown and saved), the env it sets, and the docker variant. Nothing here runs anything.
// Flag spelling: qualcomm/vllm-qaic main dc7351f, docs/docs/user_guide/features/disaggregated_serving.md and
// tests/e2e/disaggregated_serving/conftest.py (one --*-device-group value per instance, comma-separated ports).
import { getNodeValue } from 'jsonc-parser';
import { checkText } from '../check';
import { buildView, compileBool, compileInt, effectiveLengths, type StageView } from '../configView';
import { DEFAULTS } from '../model';
import { shellJoin, shellQuote } from '../compileCommand';
import { resolveConfigRelative } from '../npiFile';
import { parseDocument } from '../parse';
import { dirname } from '../paths';
import type { CheckOptions, Diagnostic, StageKey } from '../types';
import { servedQpcPath } from '../rules/servingQpc';
import { pairKvNaming, readQpcFolder } from './qpcFolder';
import { DEFAULT_API_PORT, DEFAULT_IMAGE, DEFAULT_STAGE_PORT, LAUNCHER_MODULE, LEGACY_SLICING_ENV } from './servingFacts';
import { servingView } from './servingView';

export type Runtime = 'bare' | 'docker';

export interface ServeCommand {
  runtime: Runtime;
  /** What is started: `python3 -m qaic_disagg …`, or `docker run … IMAGE …` for docker. */
  argv: string[];
  /** argv as one POSIX shell line, every value quoted, prefixed with the env assignments (bare). */
  shell: string;
  /** Set for the launcher (bare: in its environment; docker: passed with -e). */
  env: Record<string, string>;
  qpc: Record<StageKey, string>;
  /** Port of the OpenAI-compatible API. */
  apiPort: number;
  /** Every port the launch listens on that the config names (API, instances, KV handoff): free again after Stop. */
  ports: number[];
  /** Why env was set and the like: shown, never fatal. */
  notes: string[];
}

export interface ServeOptions extends CheckOptions {
  /** Overrides serving.runtime. */
  runtime?: Runtime;
  /** The Python that runs `-m qaic_disagg` (bare). Default python3. */
  python?: string;
}

export type ServeResult = { command: ServeCommand; diagnostics: Diagnostic[] } | { command?: undefined; diagnostics: Diagnostic[]; error: string };

interface ServingJson {
  port?: number; kvHandoffPort?: number; kvStoreSizeMB?: number; runtime?: Runtime; image?: string; extraArgs?: string[];
  prefill?: { deviceGroups?: number[][]; ports?: number[]; maxNumSeqs?: number };
  decode?: { deviceGroups?: number[][]; ports?: number[]; maxNumSeqs?: number };
}

/** Checks the config (rules and QPC pair) and builds the command; no command when an error is reported. */
export function buildServeCommand(text: string, options: ServeOptions): ServeResult {
  const diagnostics = checkText(text, options);
  const errors = diagnostics.filter(d => d.severity === 'error');
  const fail = (error: string): ServeResult => ({ diagnostics, error });
  if (errors.length) return fail(`${errors.length} error(s) in the config: ${errors[0].code} ${errors[0].message}`);
  const { root } = parseDocument(text);
  const sv = root && servingView(root);
  if (!root || !sv) return fail('The config has no "serving" section.');
  const view = { configDir: options.configPath ? dirname(options.configPath) : undefined, servingQpc: options.servingQpc };
  const qpc = { prefill: servedQpcPath(view, sv, 'prefill'), decode: servedQpcPath(view, sv, 'decode') };
  for (const k of ['prefill', 'decode'] as const) {
    if (!qpc[k]) return fail(`No ${k} QPC: set "serving.${k}.qpc" to the folder holding programqpc.bin (the editor defaults it to the last ${k} compile).`);
  }
  const config = buildView(root, options);
  const stage = (k: StageKey) => config.stages.find(st => st.key === k) as StageView; // SRV-10 guarantees both
  const p = stage('prefill');
  const d = stage('decode');
  const model0 = config.model!; // the schema requires it
  const s = getNodeValue(sv.prop.value!) as ServingJson;
  const host = options.host;
  const naming = host ? pairKvNaming(readQpcFolder(host, qpc.prefill!).kvNaming, readQpcFolder(host, qpc.decode!).kvNaming) : 'unknown';
  const env: Record<string, string> = {};
  const notes: string[] = [];
  if (naming === 'plain') {
    env[LEGACY_SLICING_ENV] = '1';
    notes.push(`${LEGACY_SLICING_ENV}=1: neither QPC names its KV buffers with the vllmKvCache prefix (QEFF-SRV-14).`);
  }
  const model = localModelDir(model0, view.configDir, options) ?? model0;
  const apiPort = s.port ?? DEFAULT_API_PORT;
  const stageArgs = (k: StageKey, maxNumSeqs: number) => {
    const st = s[k] ?? {};
    return [
      `--${k}-port`, (st.ports ?? [DEFAULT_STAGE_PORT[k]]).join(','),
      `--${k}-device-group`, ...(st.deviceGroups ?? []).map(g => g.join(',')),
      `--${k}-max-num-seqs`, String(st.maxNumSeqs ?? maxNumSeqs),
    ];
  };
  const psl = effectiveLengths(p).psl;
  const override = (k: StageKey, c: StageView, more: string[]) =>
    [`qpc_path:${qpc[k]}`, ...more, ...(compileBool(c, 'mxfp6_matmul').value ? ['mxfp6_matmul:True'] : [])].join(' ');
  const launcher = [
    '--model', model,
    '--port', String(apiPort),
    ...stageArgs('prefill', compileInt(p, 'batch_size').value ?? DEFAULTS.batch_size),
    ...stageArgs('decode', compileInt(d, 'full_batch_size').value ?? DEFAULTS.batch_size),
    '--max-model-len', String(effectiveLengths(d).ctx),
    '--prefill-max-seq-len-to-capture', String(psl),
    ...((compileBool(d, 'mxint8_kv_cache').value ?? DEFAULTS.mxint8_kv_cache) ? ['--kv-cache-dtype', 'mxint8'] : []),
    ...(s.kvHandoffPort !== undefined ? ['--kv-handOff-port', String(s.kvHandoffPort)] : []),
    ...(s.kvStoreSizeMB !== undefined ? ['--kv-store-size', String(s.kvStoreSizeMB)] : []),
    '--prefill-override-qaic-config', override('prefill', p, [`prefill_seq_len:${psl}`]),
    '--decode-override-qaic-config', override('decode', d, []),
    ...(s.extraArgs ?? []),
  ];
  const runtime = options.runtime ?? s.runtime ?? 'bare';
  const qpcs = { prefill: qpc.prefill!, decode: qpc.decode! };
  let argv: string[];
  let shell: string;
  if (runtime === 'docker') {
    const mounts = [...new Set([...Object.values(qpcs), ...(model !== model0 ? [model] : [])])];
    argv = [
      'docker', 'run', '--rm', '--privileged', '--shm-size=4gb', '--network', 'host',
      '-e', 'HF_TOKEN', // by name: docker copies the value from its own environment, it never appears here
      ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]),
      ...mounts.flatMap(m => ['-v', `${m}:${m}:ro`]),
      s.image ?? DEFAULT_IMAGE, // its entrypoint is qaic_disagg
      ...launcher,
    ];
    shell = shellJoin(argv);
  } else {
    argv = [options.python ?? 'python3', '-m', LAUNCHER_MODULE, ...launcher];
    shell = [...Object.entries(env).map(([k, v]) => `${k}=${shellQuote(v)}`), shellJoin(argv)].join(' ');
  }
  const ports = [apiPort, ...(['prefill', 'decode'] as const).flatMap(k => s[k]?.ports ?? [DEFAULT_STAGE_PORT[k]]),
    ...(s.kvHandoffPort !== undefined ? [s.kvHandoffPort] : [])];
  return { command: { runtime, argv, shell, env, qpc: qpcs, apiPort, ports, notes }, diagnostics };
}

/** A model written as a local folder (one holding config.json), made absolute; undefined for a hub id. */
function localModelDir(model: string, configDir: string | undefined, options: CheckOptions): string | undefined {
  const dir = resolveConfigRelative(configDir, model);
  return dir && options.host?.readFile(`${dir}/config.json`) !== undefined ? dir : undefined;
}

/** The `<config>.serve.sh` text: fixed lines plus quoted values only. */
export function serveScript(command: ServeCommand, configName: string): string {
  return [
    '#!/bin/sh',
    `# Serves the disaggregated pair of ${configName.replace(/[\r\n]/g, ' ')} with qaic_disagg (generated by qeff-disagg).`,
    '# Prefill QPC: ' + command.qpc.prefill.replace(/[\r\n]/g, ' '),
    '# Decode QPC:  ' + command.qpc.decode.replace(/[\r\n]/g, ' '),
    ...command.notes.map(n => `# ${n.replace(/[\r\n]/g, ' ')}`),
    `# API: http://127.0.0.1:${command.apiPort}/v1`,
    'set -e',
    `exec ${command.shell}`,
    '',
  ].join('\n');
}
