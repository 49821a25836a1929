// The compiler command QEfficient prints when compile fails on purpose (prefill with subfunctions):
// kept per config and stage across reloads, offered as Copy / Run in Terminal / Save as Script, and
// watched: when <qpcDir>/programqpc.bin appears, the stage is reported compiled.
import { chmod, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { shellJoin } from '../../core/compileCommand';
import { log } from '../log';
import { ProcessPseudoterminal } from './processTerminal';

export interface ManualCommand {
  config: string; // uri
  stage: string;
  argv: string[];
  qpcDir: string | null;
  capturedAt: string;
  compiledAt?: string;
}

const STATE_KEY = 'qeffDisagg.manualCommands';

export class ManualCommands implements vscode.Disposable {
  private readonly watchers = new Map<string, vscode.Disposable>();
  private readonly changed = new vscode.EventEmitter<ManualCommand>();
  /** Fires when a command is captured or its stage is found compiled (the view and the lenses follow it). */
  readonly onDidChange = this.changed.event;

  constructor(private readonly state: vscode.Memento) {
    for (const c of this.all()) if (!c.compiledAt) this.watch(c);
  }

  all(): ManualCommand[] {
    return Object.values(this.state.get<Record<string, ManualCommand>>(STATE_KEY, {}));
  }

  get(config: vscode.Uri, stage: string): ManualCommand | undefined {
    return this.state.get<Record<string, ManualCommand>>(STATE_KEY, {})[key(config.toString(), stage)];
  }

  async capture(config: vscode.Uri, stage: string, argv: string[], qpcDir: string | null): Promise<void> {
    const entry: ManualCommand = { config: config.toString(), stage, argv, qpcDir, capturedAt: new Date().toISOString() };
    await this.put(entry);
    this.watch(entry);
    const copy = vscode.l10n.t('Copy');
    const runIt = vscode.l10n.t('Run in Terminal');
    const save = vscode.l10n.t('Save as Script');
    const choice = await vscode.window.showInformationMessage(
      vscode.l10n.t('The {0} compile of {1} must be finished by hand (expected with use_onnx_subfunctions): the compiler command is captured.', stage, basename(config.fsPath)),
      copy, runIt, save);
    if (choice === copy) await this.copy(entry);
    else if (choice === runIt) this.runInTerminal(entry);
    else if (choice === save) await this.saveScript(entry);
  }

  /** argv with argv[0] replaced by the qeffDisagg.compilerPath setting, when set. */
  effectiveArgv(c: ManualCommand): string[] {
    const compiler = vscode.workspace.getConfiguration('qeffDisagg').get<string>('compilerPath')?.trim();
    return compiler ? [compiler, ...c.argv.slice(1)] : c.argv;
  }

  async copy(c: ManualCommand): Promise<void> {
    await vscode.env.clipboard.writeText(shellJoin(this.effectiveArgv(c)));
    void vscode.window.showInformationMessage(vscode.l10n.t('Compiler command copied to the clipboard.'));
  }

  runInTerminal(c: ManualCommand): vscode.Terminal {
    const argv = this.effectiveArgv(c);
    // A pseudoterminal starts the compiler with an argument array (no shell) and shows the quoted command.
    const pty = new ProcessPseudoterminal(argv, dirname(vscode.Uri.parse(c.config).fsPath));
    const terminal = vscode.window.createTerminal({ name: vscode.l10n.t('QEff compile ({0})', c.stage), pty });
    terminal.show();
    return terminal;
  }

  /** Writes <config>.<stage>.compile.sh beside the config; asks before overwriting. */
  async saveScript(c: ManualCommand): Promise<vscode.Uri | undefined> {
    const configPath = vscode.Uri.parse(c.config).fsPath;
    const target = join(dirname(configPath), `${basename(configPath).replace(/\.qeff\.json$/, '')}.${c.stage}.compile.sh`);
    if (existsSync(target)) {
      const overwrite = vscode.l10n.t('Overwrite');
      // A dialog that cannot be shown (e.g. refused under test automation) counts as "no".
      const answer = await Promise.resolve(vscode.window.showWarningMessage(vscode.l10n.t('{0} exists. Overwrite it?', basename(target)), { modal: true }, overwrite))
        .catch(() => undefined);
      if (answer !== overwrite) return undefined;
    }
    const body = [
      '#!/bin/sh',
      `# The ${c.stage} compile of ${basename(configPath)}, captured by qeff-disagg on ${c.capturedAt}.`,
      '# QEfficient exported the ONNX and wrote specializations.json and custom_io.yaml; run this with a',
      '# compiler that supports ONNX subfunctions. The QPC lands in:',
      `#   ${c.qpcDir ?? '(see -aic-binary-dir)'}`,
      'set -e',
      `exec ${shellJoin(this.effectiveArgv(c))}`,
      '',
    ].join('\n');
    await writeFile(target, body);
    await chmod(target, 0o755);
    const uri = vscode.Uri.file(target);
    await vscode.window.showTextDocument(uri);
    return uri;
  }

  async markCompiled(config: string, stage: string, qpcPath: string): Promise<void> {
    const c = this.state.get<Record<string, ManualCommand>>(STATE_KEY, {})[key(config, stage)];
    if (c) await this.put({ ...c, compiledAt: new Date().toISOString(), qpcDir: qpcPath });
    this.watchers.get(key(config, stage))?.dispose();
    this.watchers.delete(key(config, stage));
  }

  private async put(c: ManualCommand): Promise<void> {
    const all = { ...this.state.get<Record<string, ManualCommand>>(STATE_KEY, {}), [key(c.config, c.stage)]: c };
    await this.state.update(STATE_KEY, all);
    this.changed.fire(c);
  }

  private watch(c: ManualCommand): void {
    if (!c.qpcDir) return;
    const k = key(c.config, c.stage);
    this.watchers.get(k)?.dispose();
    const qpcDir = c.qpcDir;
    const done = () => {
      log().info(`${c.stage} stage compiled: ${qpcDir}`);
      void this.markCompiled(c.config, c.stage, qpcDir);
      void vscode.window.showInformationMessage(vscode.l10n.t('The {0} stage is compiled: {1}', c.stage, qpcDir));
    };
    if (existsSync(join(qpcDir, 'programqpc.bin'))) { done(); return; }
    // Watch the QPC folder's parent: the compiler creates the folder itself.
    const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(qpcDir)), `${basename(qpcDir)}/programqpc.bin`));
    const poll = setInterval(() => { if (existsSync(join(qpcDir, 'programqpc.bin'))) done(); }, 5000);
    watcher.onDidCreate(done);
    this.watchers.set(k, { dispose: () => { watcher.dispose(); clearInterval(poll); } });
  }

  dispose(): void {
    for (const w of this.watchers.values()) w.dispose();
    this.changed.dispose();
  }
}

function key(config: string, stage: string): string {
  return `${config}#${stage}`;
}
