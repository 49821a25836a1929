// The `qeff-disagg` task type ({config, stage, step}): export and compile from tasks.json through the
// same stage runner, in a pseudoterminal that streams the output, captures the manual compile command,
// and kills the process tree when the task is terminated. Step `serve` ({config, step}) is served by the
// serving module (serving/serveTask.ts), which registers itself here.
import * as vscode from 'vscode';
import { prop } from '../../core/jsonNodes';
import { MAX_AUX_FILE } from '../../core/nodeFileHost';
import { parseDocument } from '../../core/parse';
import { EXIT, STEPS, type Step } from '../../core/runnerProtocol';
import type { StageKey } from '../../core/types';
import type { Runs } from './runs';
import { execEnvRefusal } from './execEnvConfirm';
import { runStage } from './stageRun';
import { untrustedMessage } from './trust';

export const TASK_TYPE = 'qeff-disagg';

/** The task-only step: serve the config's compiled pair (no stage). */
export const SERVE_STEP = 'serve';

interface QeffTaskDefinition extends vscode.TaskDefinition { config: string; stage?: StageKey; step: Step | typeof SERVE_STEP }

/** What the serving module lends the task type: a terminal that serves a config. */
export type ServeTerminal = (config: vscode.Uri) => vscode.Pseudoterminal;

/** Whether a config file has a top-level "serving" section. Read without blocking the extension host, and parsed
 *  only when it names "serving" at all and is of a config's size; a file that does not parse has none. */
async function hasServing(uri: vscode.Uri): Promise<boolean> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    if (!(stat.type & vscode.FileType.File) || stat.size > MAX_AUX_FILE) return false; // a FIFO would never answer
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    return text.includes('"serving"') && !!prop(parseDocument(text).root, 'serving');
  } catch {
    return false;
  }
}

export class QeffTaskProvider implements vscode.TaskProvider {
  private serveTerminal: ServeTerminal | undefined;

  constructor(private readonly driverPath: string, private readonly runs: Runs, private readonly state: vscode.Memento) {}

  /** Called by the serving module: from then on, configs with a "serving" section get a serve task. */
  setServeTerminal(terminal: ServeTerminal): void {
    this.serveTerminal = terminal;
  }

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
      if (this.serveTerminal && await hasServing(uri)) tasks.push(this.build({ type: TASK_TYPE, config: rel, step: SERVE_STEP }, folder ?? vscode.TaskScope.Workspace));
    }
    return tasks;
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    const d = task.definition as QeffTaskDefinition;
    if (!d.config || !d.step || (d.step !== SERVE_STEP && !d.stage)) return undefined;
    return this.build(d, task.scope ?? vscode.TaskScope.Workspace, task.definition);
  }

  private build(d: QeffTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope, definition: vscode.TaskDefinition = d): vscode.Task {
    const config = () => this.resolveConfig(d.config, scope);
    if (d.step === SERVE_STEP) {
      const serve = this.serveTerminal;
      const task = new vscode.Task(definition, scope, `serve (${d.config})`, TASK_TYPE, new vscode.CustomExecution(async () => serve
        ? serve(config())
        : new MessageTerminal(vscode.l10n.t('serving is not available in this window.'))), ['$qeff-serve']);
      task.isBackground = true;
      return task;
    }
    const stage = d.stage as StageKey;
    const task = new vscode.Task(definition, scope, `${d.step} ${stage} (${d.config})`, TASK_TYPE,
      new vscode.CustomExecution(async () => new StageTaskTerminal(config(), { ...d, stage, step: d.step as Step }, this.driverPath, this.runs, this.state)));
    task.group = d.step === 'compile' ? vscode.TaskGroup.Build : undefined;
    return task;
  }

  private resolveConfig(config: string, scope: vscode.WorkspaceFolder | vscode.TaskScope): vscode.Uri {
    if (config.startsWith('/')) return vscode.Uri.file(config);
    const folder = typeof scope === 'object' ? scope : vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, config) : vscode.Uri.file(config);
  }
}

/** A task that only says why it cannot run. */
class MessageTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  constructor(private readonly message: string) {}
  open(): void {
    this.writer.fire(`[qeff-disagg] ${this.message}\r\n`);
    this.closer.fire(EXIT.failed);
  }
  close(): void { /* nothing runs */ }
}

class StageTaskTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly cts = new vscode.CancellationTokenSource();

  constructor(private readonly config: vscode.Uri, private readonly d: { stage: StageKey; step: Step }, private readonly driverPath: string,
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
