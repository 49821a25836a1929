// Runs from the commands: one at a time, with a cancellable progress notification showing the driver's
// phase, output streamed into the "QEfficient Disaggregated: Runs" channel, and the outcome reported.
import * as vscode from 'vscode';
import { shellJoin } from '../../core/compileCommand';
import type { Step } from '../../core/runnerProtocol';
import type { StageKey } from '../../core/types';
import type { ManualCommands } from './manualCommands';
import { OutputBatcher } from './outputBatcher';
import { runStage, type Outcome } from './stageRun';

export interface CompiledQpc { config: vscode.Uri; stage: StageKey; qpcPath: string }

export class Runs implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('QEfficient Disaggregated: Runs');
  private readonly output = new OutputBatcher(this.channel);
  private current: vscode.CancellationTokenSource | undefined;
  private readonly compiled = new vscode.EventEmitter<CompiledQpc>();
  /** A stage compiled to a QPC folder (serving defaults to the last one). */
  readonly onDidCompile = this.compiled.event;

  constructor(private readonly driverPath: string, private readonly manual: ManualCommands) {}

  get running(): boolean { return !!this.current; }

  cancel(): void { this.current?.cancel(); }

  /** Runs the steps in order for each stage; stops at the first failure (a manual compile ends only its stage). */
  async run(configUri: vscode.Uri, stages: StageKey[], steps: Step[]): Promise<Outcome[]> {
    if (this.current) {
      void vscode.window.showWarningMessage(vscode.l10n.t('A qeff-disagg run is in progress: cancel it first.'));
      return [];
    }
    const cts = new vscode.CancellationTokenSource();
    this.current = cts;
    await vscode.commands.executeCommand('setContext', 'qeffDisagg.isRunning', true);
    const outcomes: Outcome[] = [];
    try {
      await vscode.window.withProgress({
        location: vscode.ProgressLocation.Notification, cancellable: true,
        title: vscode.l10n.t('QEff'),
      }, async (progress, token) => {
        token.onCancellationRequested(() => cts.cancel());
        for (const stage of stages) {
          for (const step of steps) {
            progress.report({ message: vscode.l10n.t('{0} {1}: starting…', stage, step) });
            const outcome = await runStage({
              configUri, stage, step, driverPath: this.driverPath, token: cts.token,
              onLine: line => this.output.line(line),
              onEvent: ev => { if (ev.event === 'phase') progress.report({ message: `${stage} ${step}: ${ev.message}` }); },
            });
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
      await vscode.commands.executeCommand('setContext', 'qeffDisagg.isRunning', false);
    }
    return outcomes;
  }

  async report(configUri: vscode.Uri, stage: StageKey, step: Step, o: Outcome): Promise<void> {
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
      case 'cancelled':
        this.channel.appendLine(`[${stage} ${step}] cancelled`);
        void vscode.window.showInformationMessage(vscode.l10n.t('The {0} {1} was cancelled.', stage, step));
        return;
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
          if (choice === select) void vscode.commands.executeCommand('qeffDisagg.selectInterpreter');
          if (choice === copy && argv) void vscode.env.clipboard.writeText(shellJoin(argv));
        });
        return;
      }
    }
  }

  dispose(): void {
    this.current?.cancel();
    this.channel.dispose();
    this.compiled.dispose();
  }
}
