// One serving session at a time: qaic_disagg started as a managed process tree (execa, argument array, own
// process group, as the runner does), its output in the "Serving" channel, the endpoint in the status bar once
// GET /v1/models answers, and Stop killing the whole group and waiting until the API port is free. Each change of
// state (starting, ready, failed, stopped: core/pipeline/servingState.ts) fires onDidChangeState for the view
// and the lenses.
import * as vscode from 'vscode';
import { dirname } from 'node:path';
import { nextServingState, type ServingEvent, type ServingState } from '../../core/pipeline/servingState';
import type { ServeCommand } from '../../core/serving/serveCommand';
import { startDriver, type DriverRun } from '../../node/driverProcess';
import { streamChat, waitPortFree, waitUntilReady, type PromptResult } from '../../node/servingEndpoint';
import { OutputBatcher } from '../runner/outputBatcher';

/** Real device activation takes minutes (qaic_disagg's QAIC_DISAGG_ACTIVATION_TIMEOUT default is 1200 s). */
const READY_TIMEOUT_MS = 30 * 60_000;
const STOP_GRACE_MS = 10_000;
const TAIL = 12;

interface Session {
  config: vscode.Uri;
  command: ServeCommand;
  run: DriverRun;
  base: string;
  model: string | undefined;
  tail: string[];
  stopping: boolean;
}

export interface ServeOutcome { endpoint: string; pid: number | undefined; model: string | undefined; statusText: string }
export interface StopOutcome { pid: number | undefined; portFree: boolean }

export class ServingSession implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('QEfficient Disaggregated: Serving');
  private readonly output = new OutputBatcher(this.channel);
  private readonly status = vscode.window.createStatusBarItem('qeffDisagg.serving', vscode.StatusBarAlignment.Left, 50);
  private session: Session | undefined;
  private current: ServingState | undefined;
  private readonly changed = new vscode.EventEmitter<ServingState | undefined>();
  private readonly lines = new vscode.EventEmitter<string>();
  /** Each line the launcher writes, and the session's own notes: a serve task streams them into its terminal. */
  readonly onDidWriteLine = this.lines.event;
  /** Fires on each change of the serving state (not polled: the view and the lenses listen). */
  readonly onDidChangeState = this.changed.event;

  get active(): boolean { return !!this.session; }

  /** The state of the last session: starting, ready, failed (until the next Serve or Stop) or stopped. */
  get state(): ServingState | undefined { return this.current; }

  private apply(e: ServingEvent): void {
    const next = nextServingState(this.current, e);
    if (next === this.current) return;
    this.current = next;
    this.changed.fire(next);
  }

  async start(config: vscode.Uri, command: ServeCommand): Promise<ServeOutcome | undefined> {
    if (this.session) {
      void vscode.window.showWarningMessage(vscode.l10n.t('qaic_disagg is already serving {0}: stop it first.', vscode.workspace.asRelativePath(this.session.config)));
      return undefined;
    }
    this.note(`$ ${command.shell}`);
    for (const note of command.notes) this.note(`# ${note}`);
    const tail: string[] = [];
    const run = startDriver({
      command: command.argv[0], args: command.argv.slice(1), cwd: dirname(config.fsPath), env: command.env,
      onLine: line => {
        tail.push(line);
        if (tail.length > TAIL) tail.shift();
        this.output.line(line);
        this.lines.fire(line);
      },
    });
    const base = `http://127.0.0.1:${command.apiPort}`;
    const session: Session = { config, command, run, base, model: undefined, tail, stopping: false };
    this.session = session;
    this.apply({ type: 'start', config: config.toString(), port: command.apiPort, at: Date.now() });
    await this.setState('starting');
    void run.done.then(r => {
      this.output.flush();
      const how = r.spawnError ?? (r.signal ? `signal ${r.signal}` : `code ${r.exitCode}`);
      this.note(`[qaic_disagg exited: ${how}]`);
      if (this.session !== session) return;
      this.session = undefined;
      this.apply(session.stopping ? { type: 'stop', keepFailure: true, at: Date.now() }
        : { type: 'exit', tail: [...tail], how, at: Date.now() });
      void this.setState('stopped');
      if (!session.stopping) void this.reportExit(session, r.spawnError ?? `code ${r.exitCode ?? r.signal}`);
    });
    const ready = await vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification, cancellable: true,
      title: vscode.l10n.t('QEff: starting qaic_disagg on port {0}…', command.apiPort),
    }, (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return waitUntilReady(base, { exited: run.done, timeoutMs: READY_TIMEOUT_MS, signal: abort.signal });
    });
    if (ready.kind !== 'ready') {
      if (ready.kind === 'timeout') {
        // Shown as failed (view, lens, serve task), not as a Stop the user asked for.
        const message = vscode.l10n.t('qaic_disagg did not answer on {0}/v1/models in {1} minutes: stopped.', base, READY_TIMEOUT_MS / 60_000);
        this.apply({ type: 'timeout', message, at: Date.now() });
        await this.stop(true);
        void vscode.window.showErrorMessage(message);
      } else if (ready.kind !== 'exited') {
        await this.stop();
        void vscode.window.showErrorMessage(vscode.l10n.t('Serving cancelled: qaic_disagg stopped.'));
      }
      return undefined;
    }
    session.model = ready.models[0];
    this.apply({ type: 'ready', model: session.model, at: Date.now() });
    await this.setState('ready');
    void vscode.window.showInformationMessage(vscode.l10n.t('Serving {0} at {1}/v1', session.model ?? '?', base));
    return { endpoint: `${base}/v1`, pid: run.pid, model: session.model, statusText: this.status.text };
  }

  /** keepFailure: the session stops a launcher that failed (a timeout) and keeps the failure shown. */
  async stop(keepFailure = false): Promise<StopOutcome | undefined> {
    const s = this.session;
    // Without a session, Stop still clears a failed start's state from the view.
    this.apply({ type: 'stop', keepFailure, at: Date.now() });
    if (!s) return undefined;
    s.stopping = true;
    this.note('[stopping qaic_disagg: SIGTERM to its process group]');
    await s.run.cancel(STOP_GRACE_MS);
    if (this.session === s) this.session = undefined;
    await this.setState('stopped');
    const taken: number[] = [];
    for (const port of s.command.ports) if (!await waitPortFree(port, STOP_GRACE_MS)) taken.push(port);
    const portFree = !taken.length;
    if (!portFree) void vscode.window.showWarningMessage(vscode.l10n.t('qaic_disagg stopped, but port(s) {0} are still taken.', taken.join(', ')));
    return { pid: s.run.pid, portFree };
  }

  async sendTestPrompt(prompt: string): Promise<PromptResult | undefined> {
    const s = this.session;
    if (!s?.model) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Nothing is being served: run "QEff: Serve" first.'));
      return undefined;
    }
    this.channel.appendLine(`> ${prompt}`);
    try {
      const r = await streamChat(s.base, s.model, prompt, 64, t => this.output.line(t));
      this.output.flush();
      const rate = r.tokensPerSecond === undefined ? '?' : r.tokensPerSecond.toFixed(1);
      const summary = vscode.l10n.t('time to first token {0} ms, {1} tokens, {2} tokens/s', r.ttftMs.toFixed(0), r.tokens, rate);
      this.channel.appendLine(`[${summary}]`);
      void vscode.window.showInformationMessage(`${r.text.slice(0, 300)} — ${summary}`);
      return r;
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('The test prompt failed: {0}', (e as Error).message));
      return undefined;
    }
  }

  private note(line: string): void {
    this.channel.appendLine(line);
    this.lines.fire(line);
  }

  private async reportExit(s: Session, how: string): Promise<void> {
    const show = vscode.l10n.t('Show Output');
    const last = s.tail.slice(-5).join('\n');
    const choice = await vscode.window.showErrorMessage(vscode.l10n.t('qaic_disagg exited ({0}):\n{1}', how, last || '(no output)'), show);
    if (choice === show) this.channel.show(true);
  }

  private async setState(state: 'starting' | 'ready' | 'stopped'): Promise<void> {
    const s = this.session;
    if (state === 'stopped' || !s) {
      this.status.hide();
    } else {
      this.status.text = state === 'ready' ? `$(radio-tower) ${s.base}/v1` : `$(loading~spin) ${vscode.l10n.t('qaic_disagg starting…')}`;
      this.status.tooltip = vscode.l10n.t('QEff: serving {0}. Click to stop.', vscode.workspace.asRelativePath(s.config));
      this.status.command = 'qeffDisagg.stopServing';
      this.status.show();
    }
    await vscode.commands.executeCommand('setContext', 'qeffDisagg.isServing', state !== 'stopped');
  }

  dispose(): void {
    void this.session?.run.cancel(STOP_GRACE_MS);
    this.status.dispose();
    this.channel.dispose();
    this.changed.dispose();
    this.lines.dispose();
  }
}
