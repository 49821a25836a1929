// The guided setup wizard: commands "New Disaggregated Serving Config…" and "Edit in Wizard", and the
// serializer that brings the panel back after a window reload.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { initialState, stateFromText, WIZARD_VIEW_TYPE } from '../../core/wizard';
import { isConfigDocument, wizardVersion } from '../configDocuments';
import { defaultFolder, WizardPanel } from './wizardPanel';
import { COMMANDS } from '../../core/commandIds';

export const NEW_CONFIG_COMMAND = COMMANDS.newConfig;
export const EDIT_IN_WIZARD_COMMAND = COMMANDS.editInWizard;

/** The folder a command was invoked on (explorer context menu), if it is a local folder. */
async function folderOf(uri: unknown): Promise<string | undefined> {
  if (!(uri instanceof vscode.Uri) || uri.scheme !== 'file') return undefined;
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    return stat.type & vscode.FileType.Directory ? uri.fsPath : path.dirname(uri.fsPath);
  } catch {
    return undefined;
  }
}

export function registerWizard(context: vscode.ExtensionContext): void {
  const extensionUri = context.extensionUri;
  context.subscriptions.push(
    // Returns the panel, so that the extension-host tests can talk to it as the webview does.
    vscode.commands.registerCommand(NEW_CONFIG_COMMAND, async (uri?: unknown) => {
      const folder = (await folderOf(uri)) ?? defaultFolder();
      return WizardPanel.show(extensionUri, initialState(folder, wizardVersion()));
    }),
    vscode.commands.registerCommand(EDIT_IN_WIZARD_COMMAND, async (uri?: unknown) => {
      const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
      if (!target || !target.path.endsWith('.qeff.json')) {
        void vscode.window.showErrorMessage(vscode.l10n.t('Open a *.qeff.json config to edit it in the wizard.'));
        return undefined;
      }
      const doc = await vscode.workspace.openTextDocument(target);
      if (!isConfigDocument(doc) || target.scheme !== 'file') {
        void vscode.window.showErrorMessage(vscode.l10n.t('The wizard edits *.qeff.json files on the local file system.'));
        return undefined;
      }
      const loaded = stateFromText(doc.getText(), { uri: target.toString(), path: target.fsPath }, path.dirname(target.fsPath));
      if (!loaded.ok) {
        void vscode.window.showErrorMessage(vscode.l10n.t('{0} cannot be edited in the wizard: {1} Fix it in the editor first.', path.basename(target.fsPath), loaded.message));
        return undefined;
      }
      return WizardPanel.show(extensionUri, loaded.state);
    }),
    vscode.window.registerWebviewPanelSerializer(WIZARD_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        WizardPanel.revive(panel, extensionUri);
      },
    }),
    { dispose: () => WizardPanel.current?.dispose() },
  );
}
