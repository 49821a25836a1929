// The state of a stage shown in the view and the lenses, derived from the run in progress, the last run,
// the captured manual compile command and what is on disk. No vscode import; texts are the editor's.
import type { Step } from '../runnerProtocol';
import type { StageKey } from '../types';
import type { StageArtifacts } from './artifacts';
import type { RunRecord } from './runHistory';

export interface RunningInfo { step: Step; phase?: string; startedAt: number; expectedMs?: number }

export interface ManualInfo { qpcDir: string | null; capturedAt: number; compiledAt?: number }

export type StageState =
  | { kind: 'notBuilt' }
  | { kind: 'exported'; onnxPath: string; at: number; stale: boolean }
  | { kind: 'compiled'; qpcPath: string; programBytes: number; at: number; stale: boolean }
  | { kind: 'manual'; qpcDir: string | null; at: number }
  | { kind: 'failed'; step: Step; message: string; at: number }
  | { kind: 'running'; step: Step; phase?: string; startedAt: number; expectedMs?: number };
// Serving belongs to the config, not to a stage: its state (endpoint, phase) is servingState.ts.

export interface StageInputs {
  stage: StageKey;
  running?: RunningInfo;
  /** The stage's runs, newest first. */
  runs: readonly RunRecord[];
  manual?: ManualInfo;
  disk: StageArtifacts;
  /** The fingerprint of the stage as the config is now. */
  fingerprint: string;
}

export function deriveStageState(i: StageInputs): StageState {
  if (i.running) return { kind: 'running', ...i.running };
  const finished = i.runs.filter(r => r.outcome !== 'running' && r.outcome !== 'cancelled' && r.outcome !== 'refused');
  const last = finished[0];
  const artifactAt = Math.max(i.disk.qpc?.mtimeMs ?? 0, i.disk.onnx?.mtimeMs ?? 0);
  if (last?.outcome === 'failed' && (last.endedAt ?? last.startedAt) >= artifactAt) {
    return { kind: 'failed', step: last.step, message: last.message ?? '', at: last.endedAt ?? last.startedAt };
  }
  // The last successful run's fingerprint tells whether the config changed since.
  const lastOk = finished.find(r => r.outcome !== 'failed');
  const stale = !!lastOk && lastOk.fingerprint !== i.fingerprint;
  const qpc = i.disk.qpc;
  const m = i.manual;
  if (m && !m.compiledAt && !(qpc && qpc.mtimeMs >= m.capturedAt)) return { kind: 'manual', qpcDir: m.qpcDir, at: m.capturedAt };
  if (qpc) return { kind: 'compiled', qpcPath: qpc.path, programBytes: qpc.size, at: qpc.mtimeMs, stale };
  if (i.disk.onnx) return { kind: 'exported', onnxPath: i.disk.onnx.path, at: i.disk.onnx.mtimeMs, stale };
  return { kind: 'notBuilt' };
}

/** "3:07" or "1:02:03" for an elapsed or remaining time. */
export function formatClock(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(mm).padStart(2, '0')}:${ss}` : `${mm}:${ss}`;
}

/** Whole minutes left of an expected duration (at least 1 while not over), or undefined once over. */
export function minutesLeft(elapsedMs: number, expectedMs: number | undefined): number | undefined {
  if (expectedMs === undefined || elapsedMs >= expectedMs) return undefined;
  return Math.max(1, Math.round((expectedMs - elapsedMs) / 60000));
}
