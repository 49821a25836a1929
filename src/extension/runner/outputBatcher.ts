// Appends process output to an output channel in batches: one appendLine per line would flood the
// extension host on a 100 MB compiler log.
import type * as vscode from 'vscode';

const FLUSH_MS = 100;
const MAX_BATCH_CHARS = 256 * 1024;

export class OutputBatcher {
  private buffer: string[] = [];
  private size = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly channel: vscode.OutputChannel) {}

  line(text: string): void {
    this.buffer.push(text);
    this.size += text.length + 1;
    if (this.size >= MAX_BATCH_CHARS) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS);
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.buffer.length) return;
    this.channel.append(this.buffer.join('\n') + '\n');
    this.buffer = [];
    this.size = 0;
  }
}
