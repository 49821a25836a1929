// The run history of the stages, kept in the extension's storage folder: history.json (the records) and
// logs/<id>.log (each run's full output, cut beyond MAX_LOG_BYTES_PER_RUN; rotated by the core's policy).
import { createWriteStream, mkdirSync, readFileSync, rmSync, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { expectedDuration, MAX_LOG_BYTES_PER_RUN, parseHistory, rotate, runsOf, serializeHistory, stageId, type RunOutcome, type RunRecord } from '../../core/pipeline/runHistory';
import type { Step } from '../../core/runnerProtocol';
import type { StageKey } from '../../core/types';
import { log } from '../log';
import type { RunStateEvent } from '../runner/runs';
import type { Outcome } from '../runner/stageRun';
import { configSource, planOf, stageFingerprint } from './configText';

const TAIL_LINES = 300;

interface OpenLog { record: RunRecord; stream: WriteStream; bytes: number; cut: number; tail: string[] }

export class RunHistory implements vscode.Disposable {
  private records: RunRecord[] | undefined;
  private readonly open = new Map<string, OpenLog>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private saving: Promise<void> = Promise.resolve();

  constructor(private readonly dir: string) {}

  private get all(): RunRecord[] {
    if (!this.records) {
      let text: string | undefined;
      try { text = readFileSync(join(this.dir, 'history.json'), 'utf8'); } catch { text = undefined; }
      // A run that was going on when the window closed did not finish here: it ends as cancelled.
      this.records = parseHistory(text).map(r => (r.outcome === 'running' ? { ...r, outcome: 'cancelled' as const } : r));
    }
    return this.records;
  }

  runs(config: vscode.Uri, stage: StageKey): RunRecord[] {
    return runsOf(this.all, config.toString(), stage);
  }

  expected(config: vscode.Uri, stage: StageKey, step: Step): number | undefined {
    return expectedDuration(this.all, config.toString(), stage, step, stageFingerprint(planOf(configSource(config)), stage));
  }

  logUri(r: RunRecord): vscode.Uri | undefined {
    return r.logBytes > 0 || r.outcome === 'running' ? vscode.Uri.file(join(this.dir, 'logs', `${r.id}.log`)) : undefined;
  }

  handle(ev: RunStateEvent): void {
    const key = stageId(ev.config.toString(), ev.stage);
    if (ev.type === 'start') this.start(key, ev.config, ev.stage, ev.step, ev.at);
    else if (ev.type === 'line') this.write(this.open.get(key), ev.line);
    else if (ev.type === 'end') this.end(key, ev.config, ev.stage, ev.step, ev.outcome, ev.at);
  }

  private start(key: string, config: vscode.Uri, stage: StageKey, step: Step, at: number): void {
    const record: RunRecord = {
      id: `${at.toString(36)}-${Math.random().toString(36).slice(2, 8)}`, config: config.toString(), stage, step,
      fingerprint: stageFingerprint(planOf(configSource(config)), stage), startedAt: at, endedAt: null, outcome: 'running', logBytes: 0,
    };
    this.all.push(record);
    this.save();
    const stream = createWriteStream(join(this.dir, 'logs', `${record.id}.log`));
    stream.on('error', e => log().warn(`run log ${record.id}: ${e.message}`));
    this.open.set(key, { record, stream, bytes: 0, cut: 0, tail: [] });
  }

  private write(o: OpenLog | undefined, line: string): void {
    if (!o) return;
    const size = Buffer.byteLength(line) + 1;
    if (o.bytes + size <= MAX_LOG_BYTES_PER_RUN) { o.stream.write(line + '\n'); o.bytes += size; return; }
    // Beyond the bound: the last lines are kept (the failure is at the end), the middle is counted.
    o.tail.push(line);
    if (o.tail.length > TAIL_LINES) o.cut += Buffer.byteLength(o.tail.shift() as string) + 1;
  }

  private end(key: string, config: vscode.Uri, stage: StageKey, step: Step, outcome: Outcome, at: number): void {
    const o = this.open.get(key);
    this.open.delete(key);
    const fields = outcomeFields(outcome);
    if (!o) {
      // Ended without a start seen here (a task): recorded without a log or a duration.
      this.all.push({ id: `${at.toString(36)}-t`, config: config.toString(), stage, step,
        fingerprint: stageFingerprint(planOf(configSource(config)), stage), startedAt: at, endedAt: null, logBytes: 0, ...fields });
    } else {
      if (o.tail.length) o.stream.write(`[… ${o.cut} bytes left out by qeff-disagg …]\n${o.tail.join('\n')}\n`);
      o.stream.end();
      Object.assign(o.record, fields, { endedAt: at, logBytes: o.bytes + o.tail.reduce((n, l) => n + Buffer.byteLength(l) + 1, 0) });
    }
    this.save();
  }

  private save(): void {
    mkdirSync(join(this.dir, 'logs'), { recursive: true });
    const { kept, deleteLogs } = rotate(this.all);
    this.records = kept;
    for (const id of deleteLogs) rmSync(join(this.dir, 'logs', `${id}.log`), { force: true });
    const text = serializeHistory(kept);
    this.saving = this.saving.then(() => writeFile(join(this.dir, 'history.json'), text))
      .catch(e => log().warn(`run history: ${(e as Error).message}`));
    this.changed.fire();
  }

  /** Resolves once the history file is written (tests wait for it before a reload). */
  flushed(): Promise<void> { return this.saving; }

  dispose(): void {
    for (const o of this.open.values()) o.stream.end();
    this.changed.dispose();
  }
}

function outcomeFields(o: Outcome): { outcome: RunOutcome; message?: string; onnxPath?: string; qpcPath?: string } {
  switch (o.kind) {
    case 'exported': return { outcome: 'exported', onnxPath: o.onnxPath };
    case 'compiled': return { outcome: 'compiled', qpcPath: o.qpcPath, onnxPath: o.onnxPath };
    case 'manual': return { outcome: 'manual', qpcPath: o.qpcDir ?? undefined };
    case 'failed': return { outcome: 'failed', message: o.message.split('\n')[0] };
    case 'refused': return { outcome: 'refused', message: o.message.split('\n')[0] };
    case 'cancelled': return { outcome: 'cancelled' };
  }
}
