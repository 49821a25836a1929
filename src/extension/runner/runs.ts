// Runs from the commands: one at a time, with a cancellable progress notification showing the driver's
// phase, output streamed into the "QEfficient Disaggregated: Runs" channel, and the outcome reported.
import * as vscode from 'vscode';
import { shellJoin } from '../../core/compileCommand';
import { COMMANDS, RUNNING_CONTEXT } from '../../core/commandIds';
import { minutesLeft } from '../../core/pipeline/stageState';
import type { Step } from '../../core/runnerProtocol';
import type { StageKey } from '../../core/types';
import type { ManualCommands } from './manualCommands';
import { OutputBatcher } from './outputBatcher';
import { runStage, type Outcome } from './stageRun';

/** What the view, the lenses, the history and the status bar follow: a run's start, phases, lines and end. */
export type RunStateEvent =
  | { type: 'start'; config: vscode.Uri; stage: StageKey; step: Step; at: number }
  | { type: 'phase'; config: vscode.Uri; stage: StageKey; step: Step; phase: string; message: string }
  | { type: 'line'; config: vscode.Uri; stage: StageKey; step: Step; line: string }
  | { type: 'end'; config: vscode.Uri; stage: StageKey; step: Step; outcome: Outcome; at: number };
export interface CompiledQpc { config: vscode.Uri; stage: StageKey; qpcPath: string }

export class Runs implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('QEfficient Disaggregated: Runs');
  private readonly output = new OutputBatcher(this.channel);
  private current: vscode.CancellationTokenSource | undefined;
  private readonly stateEmitter = new vscode.EventEmitter<RunStateEvent>();
  readonly onDidChangeRunState = this.stateEmitter.event;
  /** The expected duration of a step (the last one's with the same kwargs), shown in the progress. */
  expectedDuration: (config: vscode.Uri, stage: StageKey, step: Step) => number | undefined = () => undefined;
  private readonly compiled = new vscode.EventEmitter<CompiledQpc>();
  /** A stage compiled to a QPC folder (serving defaults to the last one). */
  readonly onDidCompile = this.compiled.event;

  constructor(private readonly driverPath: string, private readonly manual: ManualCommands) {}

  get running(): boolean { return !!this.current; }

  cancel(): void { this.current?.cancel(); }

  /** Runs the steps in order for each stage; stops at the first failure (a manual compile ends only its stage). */
  async run(configUri: vscode.Uri, stages: StageKey[], steps: readonly Step[]): Promise<Outcome[]> {
    if (this.current) {
      void vscode.window.showWarningMessage(vscode.l10n.t('A qeff-disagg run is in progress: cancel it first.'));
      return [];
    }
    const cts = new vscode.CancellationTokenSource();
    this.current = cts;
    await vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, true);
    const outcomes: Outcome[] = [];
    try {
      await vscode.window.withProgress({
        location: vscode.ProgressLocation.Notification, cancellable: true,
        title: vscode.l10n.t('QEff'),
      }, async (progress, token) => {
        token.onCancellationRequested(() => cts.cancel());
        for (const stage of stages) {
          for (const step of steps) {
            const expected = this.expectedDuration(configUri, stage, step);
            const startedAt = Date.now();
            let phaseText = vscode.l10n.t('starting…');
            // As build tools do: the remaining time from the last run with the same kwargs, refreshed on a timer.
            const show = () => {
              const left = minutesLeft(Date.now() - startedAt, expected);
              progress.report({ message: `${stage} ${step}: ${phaseText}` + (left === undefined ? '' : ` — ${vscode.l10n.t('about {0} min left', left)}`) });
            };
            show();
            const ticker = expected === undefined ? undefined : setInterval(show, 15000);
            const at = { config: configUri, stage, step };
            this.stateEmitter.fire({ type: 'start', ...at, at: startedAt });
            const outcome = await runStage({
              configUri, stage, step, driverPath: this.driverPath, token: cts.token,
              onLine: line => { this.output.line(line); this.stateEmitter.fire({ type: 'line', ...at, line }); },
              onEvent: ev => {
                if (ev.event !== 'phase') return;
                phaseText = ev.message;
                show();
                this.stateEmitter.fire({ type: 'phase', ...at, phase: ev.phase, message: ev.message });
              },
            }).finally(() => clearInterval(ticker));
            this.output.flush();
            outcomes.push(outcome);
            await this.report(configUri, stage, step, outcome);
            if (outcome.kind === 'manual') break; // expected for a prefill with subfunctions: go on with the next stage
            if (outcome.kind !== 'exported' && outcome.kind !== 'compiled') return;
          }
        }
      });
    } finally {
      this.output.flush();
      this.current = undefined;
      cts.dispose();
      await vscode.commands.executeCommand('setContext', RUNNING_CONTEXT, false);
    }
    return outcomes;
  }

  async report(configUri: vscode.Uri, stage: StageKey, step: Step, o: Outcome): Promise<void> {
    this.stateEmitter.fire({ type: 'end', config: configUri, stage, step, outcome: o, at: Date.now() });
    const showOutput = vscode.l10n.t('Show Output');
    switch (o.kind) {
      case 'exported':
        this.channel.appendLine(`[${stage} export] ONNX${o.reused ? ' (already traced with the same trace-time env)' : ''}: ${o.onnxPath}`);
        void vscode.window.showInformationMessage(o.reused
          ? vscode.l10n.t('The {0} export is done (already traced with the same trace-time environment): {1}', stage, o.onnxPath)
          : vscode.l10n.t('The {0} export is done: {1}', stage, o.onnxPath));
        return;
      case 'compiled':
        if (o.onnxPath) this.channel.appendLine(`[${stage} compile] compiled from the ONNX: ${o.onnxPath}`);
        this.channel.appendLine(`[${stage} compile] QPC: ${o.qpcPath}`);
        await this.manual.markCompiled(configUri.toString(), stage, o.qpcPath);
        this.compiled.fire({ config: configUri, stage, qpcPath: o.qpcPath });
        void vscode.window.showInformationMessage(vscode.l10n.t('The {0} stage is compiled: {1}', stage, o.qpcPath));
        return;
      case 'manual':
        this.channel.appendLine(`[${stage} compile] compile must be run by hand; QPC folder: ${o.qpcDir ?? '?'}`);
        void this.manual.capture(configUri, stage, o.argv, o.qpcDir);
        return;
      case 'cancelled': {
        // Name what could not be killed, so that the user can: the run itself is over either way.
        const left = o.survivors?.length ? vscode.l10n.t(' Still running after SIGKILL: pid {0}.', o.survivors.join(', '))
          : o.pipesHeld ? vscode.l10n.t(' A process that left the run still holds its output (not found to kill).') : '';
        this.channel.appendLine(`[${stage} ${step}] cancelled.${left}`);
        void (left ? vscode.window.showWarningMessage : vscode.window.showInformationMessage)(vscode.l10n.t('The {0} {1} was cancelled.', stage, step) + left);
        return;
      }
      case 'refused':
        void vscode.window.showErrorMessage(o.message);
        return;
      case 'failed': {
        this.channel.appendLine(`[${stage} ${step}] ${o.message}`);
        const argv = o.argv;
        if (argv) this.channel.appendLine(`[${stage} ${step}] compiler command: ${shellJoin(argv)}`);
        const select = vscode.l10n.t('Select Python Interpreter');
        const copy = vscode.l10n.t('Copy Compiler Command');
        const buttons = o.noPython || o.noQefficient ? [select, showOutput] : argv ? [copy, showOutput] : [showOutput];
        // Not awaited: the run is over whether or not the user answers the notification.
        void vscode.window.showErrorMessage(o.message, ...buttons).then(choice => {
          if (choice === showOutput) this.channel.show(true);
          if (choice === select) void vscode.commands.executeCommand(COMMANDS.selectInterpreter);
          if (choice === copy && argv) void vscode.env.clipboard.writeText(shellJoin(argv));
        });
        return;
      }
    }
  }

  dispose(): void {
    this.current?.cancel();
    this.channel.dispose();
    this.stateEmitter.dispose();
    this.compiled.dispose();
  }
}
