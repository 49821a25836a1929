// What the QEfficient view shows, computed on demand: each config of the workspace, its error count and
// its stages with their state (core/pipeline/stageState.ts) from the run in progress, the run history,
// the captured manual commands and the disk (QEfficient's cache layout), and the serving session of the config
// (core/pipeline/servingState.ts). Nothing is computed before the view or a test first asks; then file
// watchers (not polling), run events and the serving session's events keep it current.
import { homedir } from 'node:os';
import * as vscode from 'vscode';
import { checkText } from '../../core/check';
import { findStageArtifacts, qeffHome, EXPORT_ROOT } from '../../core/pipeline/artifacts';
import { servingLensOffset } from '../../core/pipeline/lensModel';
import { servingShown, type ServingState } from '../../core/pipeline/servingState';
import { deriveStageState, type RunningInfo, type StageState } from '../../core/pipeline/stageState';
import { stageId, type RunRecord } from '../../core/pipeline/runHistory';
import type { Mode, StageKey } from '../../core/types';
import { nodeDirHost } from '../../node/dirHost';
import { CONFIG_GLOB } from '../configDocuments';
import type { ManualCommands } from '../runner/manualCommands';
import type { Runs } from '../runner/runs';
import { configSource, planOf, stageFingerprint } from './configText';
import type { RunHistory } from './history';

export interface ConfigNode {
  kind: 'config'; configUri: vscode.Uri; errors: number; stages: StageNode[];
  /** The config has a "serving" section (Serve applies). */
  servable: boolean;
  serving?: ServingNode;
}
/** The serving session of a config while it starts, serves, or after it failed (until Serve or Stop again). */
export interface ServingNode { kind: 'serving'; configUri: vscode.Uri; state: ServingState }
/** Where the serving state comes from: the session (src/extension/serving/session.ts). */
export interface ServingSource {
  readonly state: ServingState | undefined;
  readonly onDidChangeState: vscode.Event<ServingState | undefined>;
}
export interface StageNode {
  kind: 'stage'; configUri: vscode.Uri; stage: StageKey; mode: Mode; state: StageState;
  onnxPath?: string; qpcPath?: string; runs: RunRecord[];
}

const DEBOUNCE_MS = 250;

export class PipelineModel implements vscode.Disposable {
  private configs: ConfigNode[] | undefined;
  private loading: Promise<ConfigNode[]> | undefined;
  private readonly running = new Map<string, RunningInfo>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private watching = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires after a recomputation, and each second while a stage runs (its elapsed time). */
  readonly onDidChange = this.changed.event;

  constructor(runs: Runs, private readonly manual: ManualCommands, private readonly history: RunHistory, private readonly serving: ServingSource) {
    // Cheap listeners only; the recomputation waits for the first reader.
    this.subscriptions.push(
      runs.onDidChangeRunState(ev => {
        const key = stageId(ev.config.toString(), ev.stage);
        if (ev.type === 'start') this.running.set(key, { step: ev.step, startedAt: ev.at, expectedMs: history.expected(ev.config, ev.stage, ev.step) });
        else if (ev.type === 'phase') { const r = this.running.get(key); if (r) r.phase = ev.phase; }
        else if (ev.type === 'end') this.running.delete(key);
        if (ev.type !== 'line') this.invalidate();
      }),
      manual.onDidChange(() => this.invalidate()),
      history.onDidChange(() => this.invalidate()),
      serving.onDidChangeState(() => this.invalidate()),
    );
  }

  /** The running step of a stage, if any (the lenses ask). */
  runningOf(config: vscode.Uri, stage: StageKey): RunningInfo | undefined {
    return this.running.get(stageId(config.toString(), stage));
  }

  async all(): Promise<ConfigNode[]> {
    this.watch();
    if (this.configs) return this.configs;
    this.loading ??= this.compute().then(c => { this.configs = c; this.loading = undefined; return c; });
    return this.loading;
  }

  /** Drops the computed state and recomputes it shortly (many events come in bursts). */
  invalidate(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.configs = undefined;
      this.tick();
      this.changed.fire();
    }, DEBOUNCE_MS);
  }

  private tick(): void {
    if (this.running.size && !this.ticker) this.ticker = setInterval(() => this.changed.fire(), 1000);
    if (!this.running.size && this.ticker) { clearInterval(this.ticker); this.ticker = undefined; }
  }

  private watch(): void {
    if (this.watching) return;
    this.watching = true;
    const configs = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB);
    // QEfficient's cache: the driver's exports and the QPCs compiled beside them.
    const cache = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(qeffHome(process.env, homedir())), `${EXPORT_ROOT}/**`));
    const any = () => this.invalidate();
    this.subscriptions.push(configs, cache,
      configs.onDidCreate(any), configs.onDidDelete(any), configs.onDidChange(any),
      cache.onDidCreate(any), cache.onDidDelete(any), cache.onDidChange(any),
      vscode.workspace.onDidChangeTextDocument(e => { if (e.document.uri.path.endsWith('.qeff.json')) any(); }),
      vscode.workspace.onDidChangeWorkspaceFolders(any),
    );
  }

  private async compute(): Promise<ConfigNode[]> {
    const uris = await vscode.workspace.findFiles(CONFIG_GLOB, '**/node_modules/**', 200);
    uris.sort((a, b) => a.path.localeCompare(b.path));
    return uris.map(uri => this.configNode(uri));
  }

  private configNode(uri: vscode.Uri): ConfigNode {
    const src = configSource(uri);
    const errors = src ? checkText(src.text, src.options).filter(d => d.severity === 'error').length : 0;
    const plan = planOf(src);
    const manualOf = (stage: StageKey) => this.manual.get(uri, stage);
    const stages = (plan?.stages ?? []).map((s): StageNode => {
      const runs = this.history.runs(uri, s.stage);
      const m = manualOf(s.stage);
      const disk = uri.scheme === 'file' ? findStageArtifacts(nodeDirHost, {
        qeffHome: qeffHome({ ...process.env, ...s.env }, homedir()), stage: s.stage, mode: s.mode, env: s.env, model: plan?.model,
        reportedOnnx: runs.map(r => r.onnxPath).filter((p): p is string => !!p),
        reportedQpc: [...(m?.qpcDir ? [m.qpcDir] : []), ...runs.map(r => r.qpcPath).filter((p): p is string => !!p)],
      }) : {};
      const state = deriveStageState({
        stage: s.stage, running: this.runningOf(uri, s.stage), runs, disk,
        fingerprint: stageFingerprint(plan, s.stage),
        manual: m ? { qpcDir: m.qpcDir, capturedAt: Date.parse(m.capturedAt), compiledAt: m.compiledAt ? Date.parse(m.compiledAt) : undefined } : undefined,
      });
      return { kind: 'stage', configUri: uri, stage: s.stage, mode: s.mode, state, onnxPath: disk.onnx?.path, qpcPath: disk.qpc?.path, runs };
    });
    const served = this.serving.state;
    const serving: ServingNode | undefined = servingShown(served) && served.config === uri.toString()
      ? { kind: 'serving', configUri: uri, state: served } : undefined;
    const servable = !!src && servingLensOffset(src.text) !== undefined;
    return { kind: 'config', configUri: uri, errors, stages, servable, serving };
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.ticker) clearInterval(this.ticker);
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
  }
}
