// The environment: a lazy probe of the interpreter (Python, QEfficient and its features, compiler, SDK,
// devices), the status bar item, and the copyable "Check Environment" report.
import { platform, release } from 'node:os';
import * as vscode from 'vscode';
import { COMMANDS } from '../../core/commandIds';
import type { DriverEvent } from '../../core/runnerProtocol';
import { parseVersion, isMeaningfulDetectedVersion } from '../../core/version';
import { startDriver } from '../../node/driverProcess';
import { setDetectedQefficientVersion, targetVersionInfo } from '../configDocuments';
import { log } from '../log';
import { resolveInterpreter, type Interpreter } from './interpreter';

export type Probe = Extract<DriverEvent, { event: 'probe' }>;

let importedQefficient: string | undefined;

/** QEfficient/__init__.py as the last probe imported it (its checkout holds upstream's NPI files), if known. */
export function probedQefficientFile(): string | undefined {
  return importedQefficient;
}

export class EnvironmentStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('qeffDisagg.environment', vscode.StatusBarAlignment.Left, 50);
  private last: { interpreter: Interpreter; probe?: Probe; error?: string } | undefined;
  private probing: Promise<void> | undefined;

  constructor(private readonly driverPath: string, private readonly onVersion: () => void) {
    this.item.name = vscode.l10n.t('QEfficient environment');
    this.item.command = COMMANDS.checkEnvironment;
    this.item.text = '$(server-process) QEff';
    this.item.tooltip = vscode.l10n.t('QEfficient environment: not probed yet (click to check)');
  }

  show(): void { this.item.show(); }

  /** Probes once per interpreter (only in a trusted workspace: it starts Python). */
  async probe(force = false): Promise<typeof this.last> {
    if (!vscode.workspace.isTrusted) return this.last;
    if (this.probing) { await this.probing; if (!force) return this.last; }
    const interpreter = await resolveInterpreter();
    if (!force && this.last?.interpreter.path === interpreter.path) return this.last;
    this.probing = this.runProbe(interpreter);
    await this.probing;
    this.probing = undefined;
    return this.last;
  }

  private async runProbe(interpreter: Interpreter): Promise<void> {
    this.item.text = '$(sync~spin) QEff';
    const run = startDriver({ command: interpreter.path, args: ['-u', this.driverPath, 'probe'] });
    const r = await run.done;
    const probe = r.events.find(e => e.event === 'probe') as Probe | undefined;
    this.last = { interpreter, probe, error: probe ? undefined : (r.spawnError ?? r.stderrTail.join('\n')) || `exit code ${r.exitCode}` };
    const q = probe?.qefficient;
    importedQefficient = q?.importable ? q.file : undefined;
    const version = q?.importable ? q.version ?? undefined : undefined;
    const usable = version && isMeaningfulDetectedVersion(parseVersion(version)) ? version
      : q?.importable ? (q.features.moe_prefill_packed_chunk_size ? '1.22' : '1.21') : undefined;
    setDetectedQefficientVersion(usable);
    this.onVersion();
    this.item.text = q?.importable ? `$(server-process) QEff ${version ?? '?'}` : '$(warning) QEff';
    this.item.tooltip = `${interpreter.path} (${interpreter.source})\n` + (q?.importable
      ? `QEfficient ${version} — ${vscode.l10n.t('click for the environment report')}`
      : vscode.l10n.t('QEfficient not found: {0}', probe?.missing.join('; ') ?? this.last.error ?? ''));
    log().info(`probe ${interpreter.path}: ${JSON.stringify(probe ?? this.last.error)}`);
  }

  report(): string {
    const l = this.last;
    const p = l?.probe;
    const lines = [
      '## qeff-disagg environment report',
      `- OS: ${platform()} ${release()}`,
      `- VS Code: ${vscode.version} (${vscode.env.appName}, ${vscode.env.remoteName ?? 'local'})`,
      `- Interpreter: ${l?.interpreter.path ?? '?'} (from ${l?.interpreter.source ?? '?'})`,
      `- Python: ${p?.python ?? 'not started: ' + (l?.error ?? '?')}`,
      `- QEfficient: ${p?.qefficient.importable ? `${p.qefficient.version} (${p.qefficient.file ?? ''})` : `not importable${p?.qefficient.error ? ': ' + p.qefficient.error : ''}`}`,
      `- QEfficient features: ${p ? Object.entries(p.qefficient.features).map(([k, v]) => `${k}=${v}`).join(', ') || 'none' : '?'}`,
      `- Compiler: ${p?.compiler.path ?? 'not found'}`,
      `- SDK: ${p && Object.keys(p.sdk).length ? Object.entries(p.sdk).map(([k, v]) => `${k} ${v}`).join(', ') : 'not found'}`,
      `- Devices: ${p?.devices.available ? p.devices.count : 'none' + (p?.devices.error ? ` (${p.devices.error})` : '')}`,
      `- Target version for the rules: ${targetText(targetVersionInfo())} (a config's own qefficientVersion wins)`,
      ...(p?.missing.length ? ['', '### Missing', ...p.missing.map(m => `- ${m}`)] : []),
    ];
    return lines.join('\n');
  }

  dispose(): void { this.item.dispose(); }
}

function targetText(t: ReturnType<typeof targetVersionInfo>): string {
  switch (t.source) {
    case 'setting': return `${t.version} (from the setting qeffDisagg.qefficientVersion)`;
    case 'detected': return `${t.version} (the detected QEfficient)`;
    case 'latest': return 'the latest, upstream main (no setting, no QEfficient detected)';
  }
}
