// The `serve` step of the qeff-disagg task type: the same serving session as QEff: Serve, its output in the
// task's terminal. The task runs until the launcher exits (exit code 1 unless Stop ended it) or the task is
// terminated, which stops qaic_disagg. Its lines "[qeff-disagg] serving at …", "… error: <config>: …" and
// "… stopped: …" (fixed prefixes, not translated) end the $qeff-serve matcher's background phase (package.json),
// so a launch configuration can depend on an endpoint that answers; an error is a problem on the config.
import * as vscode from 'vscode';
import { EXIT } from '../../core/runnerProtocol';
import type { ServeCommand } from '../../core/serving/serveCommand';
import { untrustedMessage } from '../runner/trust';
import type { ServingSession } from './session';

export type CommandFor = (config: vscode.Uri) => Promise<{ config: vscode.Uri; command: ServeCommand } | undefined>;

export const SERVING_AT = '[qeff-disagg] serving at';

export class ServeTaskTerminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private ours = false;
  private closed = false;

  constructor(private readonly config: vscode.Uri, private readonly session: ServingSession, private readonly commandFor: CommandFor) {}

  open(): void {
    void this.serve();
  }

  private async serve(): Promise<void> {
    if (!vscode.workspace.isTrusted) return this.end(untrustedMessage(), EXIT.failed);
    if (this.session.active) return this.end(vscode.l10n.t('qaic_disagg is already serving: stop it first.'), EXIT.failed);
    const c = await this.commandFor(this.config);
    if (!c) return this.end(vscode.l10n.t('the config cannot be served (see the message and the Problems panel).'), EXIT.failed);
    if (this.closed) return; // terminated while the command was being checked
    this.subscriptions.push(
      this.session.onDidWriteLine(line => this.write(line)),
      this.session.onDidChangeState(s => {
        if (!this.ours || !s || s.config !== this.config.toString()) return;
        if (s.phase === 'ready') this.write(`${SERVING_AT} ${s.endpoint}${s.model ? ` (${s.model})` : ''}`);
        else if (s.phase === 'failed') this.end(vscode.l10n.t('qaic_disagg exited: {0}', s.message ?? ''), EXIT.failed);
        else if (s.phase === 'stopped') this.end(vscode.l10n.t('qaic_disagg was stopped.'), EXIT.ok);
      }),
    );
    this.ours = true;
    await this.session.start(c.config, c.command);
  }

  private write(line: string): void {
    if (!this.closed) this.writer.fire(line.replace(/\r?\n/g, '\r\n') + '\r\n');
  }

  private end(message: string, code: number): void {
    if (this.closed) return;
    this.write(code === EXIT.ok ? `[qeff-disagg] stopped: ${message}` : `[qeff-disagg] error: ${this.config.fsPath}: ${message}`);
    this.closed = true;
    for (const d of this.subscriptions.splice(0)) d.dispose();
    this.closer.fire(code);
  }

  /** The task was terminated: stop what it started. */
  close(): void {
    const wasOurs = this.ours && !this.closed;
    this.closed = true;
    for (const d of this.subscriptions.splice(0)) d.dispose();
    if (wasOurs && this.session.active) void this.session.stop();
  }
}
