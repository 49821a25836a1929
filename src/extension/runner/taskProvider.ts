// The `qeff-disagg` task type ({config, stage, step}): export and compile from tasks.json through the
// same stage runner, in a pseudoterminal that streams the output, captures the manual compile command,
// and kills the process tree when the task is terminated.
import * as vscode from 'vscode';
import { EXIT, STEPS, type Step } from '../../core/runnerProtocol';
import type { StageKey } from '../../core/types';
import type { Runs } from './runs';
import { execEnvRefusal } from './execEnvConfirm';
import { runStage } from './stageRun';
import { untrustedMessage } from './trust';

export const TASK_TYPE = 'qeff-disagg';

interface QeffTaskDefinition extends vscode.TaskDefinition { config: string; stage: StageKey; step: Step }

export class QeffTaskProvider implements vscode.TaskProvider {
  constructor(private readonly driverPath: string, private readonly runs: Runs, private readonly state: vscode.Memento) {}

  async provideTasks(): Promise<vscode.Task[]> {
    const tasks: vscode.Task[] = [];
    for (const uri of await vscode.workspace.findFiles('**/*.qeff.json', '**/node_modules/**', 50)) {
      const folder = vscode.workspace.getWorkspaceFolder(uri);
      const rel = folder ? vscode.workspace.asRelativePath(uri, false) : uri.fsPath;
      for (const stage of ['prefill', 'decode'] as const) {
        for (const step of STEPS) {
          tasks.push(this.build({ type: TASK_TYPE, config: rel, stage, step }, folder ?? vscode.TaskScope.Workspace));
        }
      }
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const d = task.definition as QeffTaskDefinition;
    if (!d.config || !d.stage || !d.step) return undefined;
    return this.build(d, task.scope ?? vscode.TaskScope.Workspace, task.definition);
  }

  private build(d: QeffTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope, definition: vscode.TaskDefinition = d): vscode.Task {
    const task = new vscode.Task(definition, scope, `${d.step} ${d.stage} (${d.config})`, TASK_TYPE,
      new vscode.CustomExecution(async () => new StageTaskTerminal(this.resolveConfig(d.config, scope), d, this.driverPath, this.runs, this.state)));
    task.group = d.step === 'compile' ? vscode.TaskGroup.Build : undefined;
    return task;
  }

  private resolveConfig(config: string, scope: vscode.WorkspaceFolder | vscode.TaskScope): vscode.Uri {
    if (config.startsWith('/')) return vscode.Uri.file(config);
    const folder = typeof scope === 'object' ? scope : vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, config) : vscode.Uri.file(config);
  }
}

class StageTaskTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly cts = new vscode.CancellationTokenSource();

  constructor(private readonly config: vscode.Uri, private readonly d: QeffTaskDefinition, private readonly driverPath: string,
    private readonly runs: Runs, private readonly state: vscode.Memento) {}

  open(): void {
    void (async () => {
      // Restricted Mode should keep tasks from running in an untrusted workspace; the execution checks too.
      const refusal = !vscode.workspace.isTrusted ? untrustedMessage() : await execEnvRefusal(this.state, this.config, [this.d.stage]);
      if (refusal) {
        this.writer.fire(`[qeff-disagg] ${refusal}\r\n`);
        this.closer.fire(EXIT.failed);
        return;
      }
      const outcome = await runStage({
        configUri: this.config, stage: this.d.stage, step: this.d.step, driverPath: this.driverPath, token: this.cts.token,
        onLine: line => this.writer.fire(line + '\r\n'),
        onEvent: ev => { if (ev.event === 'phase') this.writer.fire(`\x1b[36m[${ev.phase}] ${ev.message}\x1b[0m\r\n`); },
      });
      const ok = outcome.kind === 'exported' || outcome.kind === 'compiled';
      this.writer.fire(`\r\n[qeff-disagg] ${outcome.kind}${'message' in outcome ? ': ' + outcome.message : ''}\r\n`);
      await this.runs.report(this.config, this.d.stage, this.d.step, outcome);
      this.closer.fire(ok ? EXIT.ok : outcome.kind === 'manual' ? EXIT.manualCompile : EXIT.failed);
    })();
  }

  close(): void {
    this.cts.cancel();
  }
}
