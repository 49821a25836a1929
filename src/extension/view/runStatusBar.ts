// The status bar while a stage runs: the stage, the step, the phase and the elapsed time (and the time
// left from the last run with the same kwargs); a click shows the output. Hidden when idle, where the
// environment item (interpreter and QEfficient version) stays as it is.
import * as vscode from 'vscode';
import type { RunningInfo } from '../../core/pipeline/stageState';
import type { StageKey } from '../../core/types';
import type { RunStateEvent } from '../runner/runs';
import { runningText } from './stateText';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('qeffDisagg.run', vscode.StatusBarAlignment.Left, 49);
  private current: (RunningInfo & { stage: StageKey; config: vscode.Uri }) | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private readonly subscription: vscode.Disposable;

  constructor(runs: { onDidChangeRunState: vscode.Event<RunStateEvent> }, expected: (config: vscode.Uri, stage: StageKey, step: RunningInfo['step']) => number | undefined) {
    this.item.name = vscode.l10n.t('QEfficient run');
    this.item.command = 'qeffDisagg.showOutput';
    this.subscription = runs.onDidChangeRunState(ev => {
      if (ev.type === 'start') {
        this.current = { config: ev.config, stage: ev.stage, step: ev.step, startedAt: ev.at, expectedMs: expected(ev.config, ev.stage, ev.step) };
        this.ticker ??= setInterval(() => this.render(), 1000);
      } else if (ev.type === 'phase' && this.current) {
        this.current.phase = ev.phase;
      } else if (ev.type === 'end') {
        this.current = undefined;
        if (this.ticker) clearInterval(this.ticker);
        this.ticker = undefined;
      } else {
        return;
      }
      this.render();
    });
  }

  private render(): void {
    const c = this.current;
    if (!c) { this.item.hide(); return; }
    this.item.text = `$(sync~spin) QEff ${c.stage}: ${runningText(c)}`;
    this.item.tooltip = `${vscode.workspace.asRelativePath(c.config)} — ${vscode.l10n.t('click to show the output')}`;
    this.item.show();
  }

  dispose(): void {
    if (this.ticker) clearInterval(this.ticker);
    this.subscription.dispose();
    this.item.dispose();
  }
}
