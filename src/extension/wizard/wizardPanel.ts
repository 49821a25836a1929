// The wizard panel: one at a time (createOrShow / revive / dispose), a ready -> init handshake, every
// message from the webview validated against schemas/wizard-messages.schema.json (unknown ones ignored),
// and the webview's own getState/setState for its state, so that a reload or a hidden tab restores it.
import * as path from 'node:path';
import * as vscode from 'vscode';
import {
  analyse, initialState, WIZARD_VIEW_TYPE, type FileCache, type HostMessage, type InitMessage, type WebviewMessage,
  type WizardState,
} from '../../core/wizard';
import { targetVersion, wizardVersion } from '../configDocuments';
import { log } from '../log';
import validateMessage from './generated/validateMessage.js';
import { FileGrants, readFilesForWebview, relativeTo } from './files';
import { webviewOptions, wizardHtml } from './html';
import { EXPORT_AND_COMPILE, saveWizard } from './save';

function isWebviewMessage(m: unknown): m is WebviewMessage {
  return validateMessage(m) === true;
}

/** The files the check of this state reads, read now, so that the first view needs no round trip. */
function prefetch(state: WizardState, grants: FileGrants): FileCache {
  return readFilesForWebview(analyse(state, {}, targetVersion()).missingFiles, grants, workspaceFolderPaths());
}

function workspaceFolderPaths(): string[] {
  return (vscode.workspace.workspaceFolders ?? []).filter(f => f.uri.scheme === 'file').map(f => f.uri.fsPath);
}

export class WizardPanel implements vscode.Disposable {
  static current: WizardPanel | undefined;

  /** The state a command wants shown; sent as init when the page says it is ready. */
  private launch: WizardState | undefined;
  private launchInit: Promise<InitMessage> | undefined;
  private ready = false;
  private editWatch: vscode.Disposable | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Everything posted to the webview and every message ignored (for the extension-host tests). */
  readonly posted: HostMessage[] = [];
  ignored = 0;
  /** What the user picked in this panel (or opened it on): the webview may read files there too. */
  private readonly grants = new FileGrants();

  /** Reveals the wizard (creating it if needed) and shows `state` in it. */
  static show(extensionUri: vscode.Uri, state: WizardState): WizardPanel {
    const column = vscode.window.activeTextEditor?.viewColumn ?? vscode.ViewColumn.One;
    let wizard = WizardPanel.current;
    if (!wizard) {
      const panel = vscode.window.createWebviewPanel(WIZARD_VIEW_TYPE, titleOf(state), column, webviewOptions(extensionUri));
      wizard = new WizardPanel(panel, extensionUri);
    } else {
      wizard.panel.reveal(column);
    }
    wizard.start(state);
    return wizard;
  }

  /** After a window reload: the serializer hands back the panel; the page sends its saved state with ready. */
  static revive(panel: vscode.WebviewPanel, extensionUri: vscode.Uri): WizardPanel {
    WizardPanel.current?.dispose();
    panel.webview.options = webviewOptions(extensionUri);
    return new WizardPanel(panel, extensionUri);
  }

  private constructor(readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri) {
    WizardPanel.current = this;
    panel.iconPath = { light: vscode.Uri.joinPath(extensionUri, 'media', 'wizard-light.svg'), dark: vscode.Uri.joinPath(extensionUri, 'media', 'wizard-dark.svg') };
    this.disposables.push(
      panel.onDidDispose(() => this.dispose()),
      // A hidden webview is destroyed (no retainContextWhenHidden): it says ready again when shown.
      panel.onDidChangeViewState(e => { if (!e.webviewPanel.visible) this.ready = false; }),
      panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m).catch((e: unknown) => {
        log().error(`wizard: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      })),
    );
    panel.webview.html = wizardHtml(panel.webview, extensionUri);
  }

  private start(state: WizardState): void {
    this.launch = state;
    // A state from a command (not from the webview): the config it edits and its folder were chosen by the user.
    if (path.isAbsolute(state.folder)) this.grants.grant(state.folder);
    if (state.edit) this.grants.grant(path.dirname(vscode.Uri.parse(state.edit.uri).fsPath));
    this.panel.title = titleOf(state);
    // The answer to the page's ready is prepared while the page loads (a first open spends ~0.1 s on it).
    this.launchInit = this.initFor(state, false);
    this.launchInit.catch(() => undefined); // a failure surfaces where it is awaited, not as an unhandled rejection
    if (this.ready) void this.sendInit(state, false);
  }

  private async initFor(state: WizardState, restored: boolean): Promise<InitMessage> {
    return {
      type: 'init', state, restored,
      // Export and compile run Python: offered only where they may run (a trusted workspace).
      canRun: vscode.workspace.isTrusted && (await vscode.commands.getCommands(true)).includes(EXPORT_AND_COMPILE),
      hostVersion: targetVersion() ?? '',
      files: prefetch(state, this.grants),
    };
  }

  private post(m: HostMessage): void {
    this.posted.push(m);
    if (this.posted.length > 200) this.posted.splice(0, this.posted.length - 200);
    void this.panel.webview.postMessage(m);
  }

  private async sendInit(state: WizardState, restored: boolean): Promise<void> {
    const prepared = this.launch === state ? this.launchInit : undefined;
    this.launch = undefined;
    this.launchInit = undefined;
    this.panel.title = titleOf(state);
    this.watchEditedFile(state);
    this.post(await (prepared ?? this.initFor(state, restored)));
  }

  /** Edit in Wizard: the file's later edits in the editor become the base the wizard's changes apply to. */
  private watchEditedFile(state: WizardState): void {
    this.editWatch?.dispose();
    this.editWatch = undefined;
    const target = state.edit?.uri;
    if (!target) return;
    this.editWatch = vscode.workspace.onDidChangeTextDocument(e => {
      if (e.document.uri.toString() === target && e.contentChanges.length) this.post({ type: 'baseText', text: e.document.getText() });
    });
  }

  /** One message from the webview; anything that does not match the schema is ignored. */
  async receive(raw: unknown): Promise<void> {
    if (isReadyWithStaleState(raw)) {
      // A state kept by another version of the extension fails the schema: answer with a fresh start (the
      // webview waits for this init), rather than ignoring the ready.
      log().info('wizard: the kept state does not match this version; starting afresh');
      raw = { type: 'ready' };
    }
    if (!isWebviewMessage(raw)) {
      this.ignored++;
      log().warn(`wizard: ignored a message that does not match schemas/wizard-messages.schema.json (${typeof raw === 'object' && raw && 'type' in raw ? String((raw as { type: unknown }).type).slice(0, 40) : typeof raw})`);
      return;
    }
    const m = raw;
    switch (m.type) {
      case 'ready': {
        this.ready = true;
        if (this.launch) await this.sendInit(this.launch, false);
        else if (m.state) await this.sendInit(m.state, true);
        else await this.sendInit(initialState(defaultFolder(), wizardVersion()), false);
        return;
      }
      case 'pickFolder': {
        const picked = await openDialog({
          canSelectFiles: false, canSelectFolders: true, canSelectMany: false, defaultUri: folderUri(m.folder),
          openLabel: m.purpose === 'model' ? vscode.l10n.t('Use this model folder') : vscode.l10n.t('Save the config here'),
          title: m.purpose === 'model' ? vscode.l10n.t('Local model folder (with config.json and the weights)') : vscode.l10n.t('Folder of the new config'),
        });
        if (!picked?.length || picked[0].scheme !== 'file') return;
        const dir = picked[0].fsPath;
        this.grants.grant(dir);
        const value = m.purpose === 'model' ? relativeTo(m.folder, dir) : dir;
        this.post({ type: 'picked', purpose: m.purpose, value, files: m.purpose === 'model' ? readFilesForWebview([path.join(dir, 'config.json')], this.grants, workspaceFolderPaths()) : {} });
        return;
      }
      case 'pickNpi': {
        const picked = await openDialog({
          canSelectFiles: true, canSelectFolders: false, canSelectMany: false, defaultUri: folderUri(m.folder),
          filters: { [vscode.l10n.t('Node precision info (YAML)')]: ['yaml', 'yml'] },
          openLabel: vscode.l10n.t('Use as node_precision_info'),
          title: vscode.l10n.t('Node-precision-info file for the {0} stage', m.stage),
        });
        if (!picked?.length || picked[0].scheme !== 'file') return;
        const file = picked[0].fsPath;
        this.grants.grant(file);
        this.post({ type: 'picked', purpose: 'npi', stage: m.stage, value: relativeTo(m.folder, file), files: readFilesForWebview([file], this.grants, workspaceFolderPaths()) });
        return;
      }
      case 'readFiles':
        this.post({ type: 'files', files: readFilesForWebview(m.paths, this.grants, workspaceFolderPaths()) });
        return;
      case 'save': {
        this.post(await saveWizard(m.state, m.run));
        return;
      }
      case 'log':
        log()[m.level](`wizard webview: ${m.message}`);
        return;
    }
  }

  dispose(): void {
    if (WizardPanel.current === this) WizardPanel.current = undefined;
    this.editWatch?.dispose();
    while (this.disposables.length) this.disposables.pop()?.dispose();
    this.panel.dispose();
  }
}

/** The open dialog; closed by a window reload or any other cancellation, it picked nothing. */
async function openDialog(options: vscode.OpenDialogOptions): Promise<vscode.Uri[] | undefined> {
  try {
    return await vscode.window.showOpenDialog(options);
  } catch {
    return undefined;
  }
}

function titleOf(state: WizardState): string {
  if (state.edit) return vscode.l10n.t('{0} (Wizard)', state.edit.path.replace(/\\/g, '/').split('/').pop() ?? '');
  return vscode.l10n.t('New Disaggregated Serving Config');
}

function folderUri(folder: string): vscode.Uri | undefined {
  return path.isAbsolute(folder) ? vscode.Uri.file(folder) : undefined;
}

/** The folder a new config goes to by default: the first local workspace folder, else the home folder. */
export function defaultFolder(): string {
  const local = vscode.workspace.workspaceFolders?.find(f => f.uri.scheme === 'file');
  return local ? local.uri.fsPath : (process.env.HOME ?? process.env.USERPROFILE ?? '/');
}

/** `{ type: "ready", state }` whose state alone fails the schema (a state kept by another version). */
function isReadyWithStaleState(raw: unknown): boolean {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return false;
  const { type, state, ...rest } = raw as Record<string, unknown>;
  return type === 'ready' && state !== undefined && !Object.keys(rest).length && !isWebviewMessage(raw) && isWebviewMessage({ type });
}
