// Run history of the stages: one record per run (start, duration, outcome, step, first error line, the
// artifacts it reported), the rotation policy that bounds it, and the expected duration of a run of the
// same stage with the same kwargs (the last successful one's). No vscode import.
import type { Step } from '../runnerProtocol';
import type { StageKey } from '../types';

export type RunOutcome = 'running' | 'exported' | 'compiled' | 'manual' | 'failed' | 'cancelled' | 'refused';

export interface RunRecord {
  /** Unique; also the log file's name (<id>.log). */
  id: string;
  /** The config's URI, as a string. */
  config: string;
  stage: StageKey;
  step: Step;
  /** fingerprintOf() of the stage's plan when the run started: equal kwargs, equal fingerprint. */
  fingerprint: string;
  startedAt: number;
  endedAt: number | null;
  outcome: RunOutcome;
  /** The first line of the failure message. */
  message?: string;
  onnxPath?: string;
  qpcPath?: string;
  /** Size of the log on disk; 0 once the rotation removed it. */
  logBytes: number;
}

export interface RotationPolicy {
  /** Records kept per config and stage (newest first). */
  perStage: number;
  /** Total size of the logs kept; older logs beyond it are removed (their records stay). */
  maxLogBytes: number;
}

export const DEFAULT_ROTATION: RotationPolicy = { perStage: 10, maxLogBytes: 64 * 1024 * 1024 };
/** One run's log is cut beyond this (the head and the last lines are kept). */
export const MAX_LOG_BYTES_PER_RUN = 8 * 1024 * 1024;

export const stageId = (config: string, stage: string): string => `${config}#${stage}`;

/** Applies the policy: the records to keep (logs beyond the budget marked removed) and the log ids to delete. */
export function rotate(records: readonly RunRecord[], policy: RotationPolicy = DEFAULT_ROTATION): { kept: RunRecord[]; deleteLogs: string[] } {
  const newestFirst = [...records].sort((a, b) => b.startedAt - a.startedAt);
  const perStage = new Map<string, number>();
  const kept: RunRecord[] = [];
  const deleteLogs: string[] = [];
  let logBytes = 0;
  for (const r of newestFirst) {
    const k = stageId(r.config, r.stage);
    const n = (perStage.get(k) ?? 0) + 1;
    perStage.set(k, n);
    if (n > policy.perStage) { if (r.logBytes > 0) deleteLogs.push(r.id); continue; }
    // A running record's log is still being written: always kept.
    if (r.outcome !== 'running' && r.logBytes > 0 && logBytes + r.logBytes > policy.maxLogBytes) {
      deleteLogs.push(r.id);
      kept.push({ ...r, logBytes: 0 });
      continue;
    }
    logBytes += r.logBytes;
    kept.push(r);
  }
  return { kept, deleteLogs };
}

/** The runs of one stage, newest first. */
export function runsOf(records: readonly RunRecord[], config: string, stage: StageKey): RunRecord[] {
  return records.filter(r => r.config === config && r.stage === stage).sort((a, b) => b.startedAt - a.startedAt);
}

const SUCCEEDED: readonly RunOutcome[] = ['exported', 'compiled', 'manual'];

/** Duration (ms) of the last successful run of this stage and step with the same fingerprint, if any. */
export function expectedDuration(records: readonly RunRecord[], config: string, stage: StageKey, step: Step, fingerprint: string): number | undefined {
  const last = runsOf(records, config, stage)
    .find(r => r.step === step && r.fingerprint === fingerprint && SUCCEEDED.includes(r.outcome) && r.endedAt !== null);
  return last ? (last.endedAt as number) - last.startedAt : undefined;
}

/** A stable fingerprint of any JSON value (keys sorted): FNV-1a 64 over its canonical text, in hex. */
export function fingerprintOf(value: unknown): string {
  const text = canonical(value);
  let h = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) {
    h ^= BigInt(text.charCodeAt(i));
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v && typeof v === 'object') {
    return `{${Object.keys(v).sort().map(k => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}

/** Reads a stored history file's JSON; anything malformed is dropped record by record. */
export function parseHistory(text: string | undefined): RunRecord[] {
  if (!text) return [];
  let data: unknown;
  try { data = JSON.parse(text); } catch { return []; }
  const list = (data as { runs?: unknown })?.runs;
  if (!Array.isArray(list)) return [];
  return list.filter((r): r is RunRecord => !!r && typeof r === 'object'
    && typeof r.id === 'string' && /^[\w.-]+$/.test(r.id) && typeof r.config === 'string'
    && (r.stage === 'prefill' || r.stage === 'decode') && (r.step === 'export' || r.step === 'compile')
    && typeof r.startedAt === 'number' && typeof r.outcome === 'string' && typeof r.logBytes === 'number');
}

export function serializeHistory(records: readonly RunRecord[]): string {
  return JSON.stringify({ version: 1, runs: records }, null, 1);
}
