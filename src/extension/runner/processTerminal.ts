// A terminal that runs one process from an argument array (no shell): prints the quoted command, streams
// the output, reports the exit code, and kills the process tree when the terminal is closed.
import * as vscode from 'vscode';
import { shellJoin } from '../../core/compileCommand';
import { startDriver, type DriverRun } from '../../node/driverProcess';

export class ProcessPseudoterminal implements vscode.Pseudoterminal {
  private readonly writer = new vscode.EventEmitter<string>();
  private readonly closer = new vscode.EventEmitter<number | void>();
  readonly onDidWrite = this.writer.event;
  readonly onDidClose = this.closer.event;
  private run: DriverRun | undefined;

  constructor(private readonly argv: string[], private readonly cwd: string) {}

  open(): void {
    this.writer.fire(`\x1b[1m$ ${shellJoin(this.argv)}\x1b[0m\r\n`);
    this.run = startDriver({
      command: this.argv[0], args: this.argv.slice(1), cwd: this.cwd,
      onLine: line => this.writer.fire(line + '\r\n'),
    });
    void this.run.done.then(r => {
      const status = r.spawnError ? `could not start: ${r.spawnError.split('\n')[0]}`
        : r.signal ? `killed by ${r.signal}` : `exit code ${r.exitCode}`;
      this.writer.fire(`\r\n[${status}]\r\n`);
    });
  }

  close(): void {
    void this.run?.cancel();
  }
}
