// Writing the wizard's config: checked again here with the real file system (the wizard never writes a
// config the core rejects), through a WorkspaceEdit (undoable), never over an existing file without a
// modal question; Edit in Wizard changes only the paths the user changed, in the file's current text.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkText } from '../../core/check';
import { nodeFileHost } from '../../core/nodeFileHost';
import type { Diagnostic } from '../../core/types';
import { configValues, editText, fileNameProblem, renderNewConfig, type HostMessage, type WizardState } from '../../core/wizard';
import { existingAt } from '../../node/safeWrite';
import { targetVersion } from '../configDocuments';
import { log } from '../log';
import { COMMANDS } from '../../core/commandIds';

export const EXPORT_AND_COMPILE = COMMANDS.exportAndCompile;

type Saved = Extract<HostMessage, { type: 'saved' }>;

function errorsOf(diags: Diagnostic[]): Diagnostic[] {
  return diags.filter(d => d.severity === 'error');
}

function refused(errors: Diagnostic[]): Saved {
  return {
    type: 'saved', ok: false, diagnostics: errors,
    message: vscode.l10n.t('Not saved: the config has {0} error(s): {1}', errors.length, errors.map(e => `${e.code} ${e.message}`).join(' ')),
  };
}

/** The replacement of the part of `before` that differs from `after` (one edit, so one undo step). */
export function minimalEdit(doc: vscode.TextDocument, after: string): vscode.TextEdit | undefined {
  const before = doc.getText();
  if (before === after) return undefined;
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) { endB--; endA--; }
  return vscode.TextEdit.replace(new vscode.Range(doc.positionAt(start), doc.positionAt(endB)), after.slice(start, endA));
}

async function saveEdited(state: WizardState & { edit: NonNullable<WizardState['edit']> }): Promise<{ saved: Saved; uri?: vscode.Uri }> {
  const uri = vscode.Uri.parse(state.edit.uri, true);
  if (!uri.path.endsWith('.qeff.json')) return { saved: { type: 'saved', ok: false, message: vscode.l10n.t('Not saved: only *.qeff.json files are edited by the wizard.') } };
  const doc = await vscode.workspace.openTextDocument(uri);
  const text = editText(doc.getText(), state.edit.loaded, configValues(state));
  const local = uri.scheme === 'file';
  const errors = errorsOf(checkText(text, { configPath: local ? uri.fsPath : undefined, qefficientVersion: targetVersion(), host: local ? nodeFileHost : undefined }));
  if (errors.length) return { saved: refused(errors) };
  const edit = minimalEdit(doc, text);
  if (edit) {
    const we = new vscode.WorkspaceEdit();
    we.set(uri, [edit]);
    if (!await vscode.workspace.applyEdit(we)) return { saved: { type: 'saved', ok: false, message: vscode.l10n.t('Not saved: the editor refused the change.') } };
  }
  if (doc.isDirty) await doc.save();
  const name = path.posix.basename(uri.path);
  return { saved: { type: 'saved', ok: true, uri: uri.toString(), message: edit ? vscode.l10n.t('Saved the changes to {0}.', name) : vscode.l10n.t('{0} already says this: nothing to change.', name) }, uri };
}

async function saveNew(state: WizardState): Promise<{ saved: Saved; uri?: vscode.Uri }> {
  const problem = fileNameProblem(state);
  if (problem || !path.isAbsolute(state.folder)) {
    return { saved: { type: 'saved', ok: false, message: vscode.l10n.t('Not saved: {0}', problem ?? vscode.l10n.t('choose the folder the config goes to.')) } };
  }
  const uri = vscode.Uri.file(path.join(state.folder, state.fileName.trim()));
  const text = renderNewConfig(configValues(state));
  const errors = errorsOf(checkText(text, { configPath: uri.fsPath, qefficientVersion: targetVersion(), host: nodeFileHost }));
  if (errors.length) return { saved: refused(errors) };
  const name = path.basename(uri.fsPath);
  // A link planted at the config's place (dangling or not) would send the write elsewhere: refuse it.
  const existing = await existingAt(uri.fsPath).catch(() => 'other' as const);
  if (existing === 'link' || existing === 'other') {
    return { saved: { type: 'saved', ok: false, message: existing === 'link'
      ? vscode.l10n.t('Not saved: {0} is a symbolic link; the wizard does not write through it.', name)
      : vscode.l10n.t('Not saved: {0} exists and is not a regular file.', name) } };
  }
  const already = existing === 'file';
  if (already) {
    const replace = vscode.l10n.t('Replace');
    // A question that could not be asked (e.g. dialogs refused) is a No: never overwrite silently.
    const answer = await Promise.resolve(vscode.window.showWarningMessage(
      vscode.l10n.t('{0} already exists. Replace it with the config from the wizard?', name),
      { modal: true, detail: vscode.l10n.t('{0} will be overwritten.', uri.fsPath) },
      replace)).catch(() => undefined);
    if (answer !== replace) {
      return { saved: { type: 'saved', ok: false, cancelled: true, message: vscode.l10n.t('Not saved: {0} exists and was kept as it is.', name) } };
    }
  }
  const we = new vscode.WorkspaceEdit();
  we.createFile(uri, { overwrite: already, contents: new TextEncoder().encode(text) });
  if (!await vscode.workspace.applyEdit(we)) return { saved: { type: 'saved', ok: false, message: vscode.l10n.t('Not saved: the file could not be written.') } };
  return { saved: { type: 'saved', ok: true, uri: uri.toString(), message: vscode.l10n.t('Saved {0}.', name) }, uri };
}

/** Saves, opens the file beside the wizard and, with `run`, hands over to export and compile when it exists. */
export async function saveWizard(state: WizardState, run: boolean): Promise<Saved> {
  const { saved, uri } = state.edit ? await saveEdited({ ...state, edit: state.edit }) : await saveNew(state);
  if (!saved.ok || !uri) return saved;
  log().info(`wizard: ${saved.message} (${uri.toString()})`);
  const doc = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preview: false });
  if (run) {
    if ((await vscode.commands.getCommands(true)).includes(EXPORT_AND_COMPILE)) {
      // Export and compile take minutes: they report their own progress; the wizard does not wait.
      Promise.resolve(vscode.commands.executeCommand(EXPORT_AND_COMPILE, uri))
        .catch((e: unknown) => log().error(`wizard: ${EXPORT_AND_COMPILE} failed: ${e instanceof Error ? e.message : String(e)}`));
      return { ...saved, message: vscode.l10n.t('{0} Export and compile started.', saved.message) };
    }
    return { ...saved, message: vscode.l10n.t('{0} Export and compile are not available in this version: run them from the config.', saved.message) };
  }
  return saved;
}
