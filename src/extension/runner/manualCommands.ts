// The compiler command QEfficient prints when compile fails on purpose (prefill with subfunctions):
// kept per config and stage across reloads, offered as Copy / Run in Terminal / Save as Script, and
// watched: when <qpcDir>/programqpc.bin appears, the stage is reported compiled.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { shellJoin } from '../../core/compileCommand';
import { renderCompileScript } from '../../core/compileScript';
import { printable } from '../../core/printable';
import { existingAt, UnsafeTargetError, writeNoFollow } from '../../node/safeWrite';
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

  /** Writes <config>.<stage>.compile.sh beside the config: never through a symbolic link, and a real file
   *  is replaced only when the user says so. */
  async saveScript(c: ManualCommand): Promise<vscode.Uri | undefined> {
    const configPath = vscode.Uri.parse(c.config).fsPath;
    const target = join(dirname(configPath), `${basename(configPath).replace(/\.qeff\.json$/, '')}.${c.stage}.compile.sh`);
    const name = printable(basename(target));
    const script = renderCompileScript({ stage: c.stage, configName: basename(configPath), capturedAt: c.capturedAt, qpcDir: c.qpcDir, argv: this.effectiveArgv(c) });
    if (!script.ok) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} was not written: {1}. Copy the command or run it in a terminal instead.', name, script.problem));
      return undefined;
    }
    const existing = await existingAt(target);
    if (existing === 'link' || existing === 'other') {
      void vscode.window.showErrorMessage(existing === 'link'
        ? vscode.l10n.t('{0} is a symbolic link: qeff-disagg does not write through it. Remove the link and save again.', name)
        : vscode.l10n.t('{0} exists and is not a regular file: not replaced.', name));
      return undefined;
    }
    if (existing === 'file') {
      const overwrite = vscode.l10n.t('Overwrite');
      // A dialog that cannot be shown (e.g. refused under test automation) counts as "no".
      const answer = await Promise.resolve(vscode.window.showWarningMessage(vscode.l10n.t('{0} exists. Overwrite it?', name), { modal: true }, overwrite))
        .catch(() => undefined);
      if (answer !== overwrite) return undefined;
    }
    try {
      await writeNoFollow(target, script.text, { replace: existing === 'file', mode: 0o755 });
    } catch (e) {
      void vscode.window.showErrorMessage(vscode.l10n.t('{0} was not written: {1}.', name, e instanceof UnsafeTargetError ? e.message : (e as Error).message));
      return undefined;
    }
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
