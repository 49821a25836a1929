// Quick fixes read from the fixes the core attached to each diagnostic (no re-analysis), plus
// "fix all of this kind" where the core marks a fix as safe to apply everywhere at once.
import * as vscode from 'vscode';
import { fixAllEdits, setValueEdits } from '../../core/fixes';
import { PICK_NPI_COMMAND } from '../../core/rules/subfunctionsNpi';
import { nodeFileHost } from '../../core/nodeFileHost';
import { basename, resolvePath } from '../../core/paths';
import { buildPlan } from '../../core/plan';
import type { Diagnostic, Fix, StageKey } from '../../core/types';
import { checkoutRoot, UPSTREAM_NPI_DIR, upstreamNpiCandidates } from '../../core/upstreamNpi';
import { checkText } from '../../core/check';
import { applyRuleSettings } from '../../core/ruleSettings';
import { checkOptions, ruleSettings } from '../configDocuments';
import { probedQefficientFile } from '../runner/environment';
import { diagnosticKey, toWorkspaceEdit, type FixesByKey } from '../convert';

/** What the code actions read: the core's fixes per document version; `reportedFor` only for configs (fix all on save). */
export interface FixSource {
  fixesFor(doc: vscode.TextDocument): { byKey: FixesByKey } | undefined;
  reportedFor?(doc: vscode.TextDocument): readonly Diagnostic[] | undefined;
}

export class ConfigCodeActions implements vscode.CodeActionProvider {
  /** source.fixAll.qeffDisagg: the safe fixes of the whole file, e.g. on save with editor.codeActionsOnSave. */
  static readonly fixAllKind = vscode.CodeActionKind.SourceFixAll.append('qeffDisagg');
  static readonly kinds = [vscode.CodeActionKind.QuickFix, ConfigCodeActions.fixAllKind];

  /** Config diagnostics, or the script diagnostics (pythonScripts.ts): both keep the core's fixes per version. */
  constructor(private readonly diagnostics: FixSource) {}

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    if (context.only?.contains(ConfigCodeActions.fixAllKind)) {
      return this.fixAll(doc);
    }
    const stored = this.diagnostics.fixesFor(doc);
    if (!stored) return [];
    const actions: vscode.CodeAction[] = [];
    const fixAllDone = new Set<string>();
    for (const vd of context.diagnostics) {
      if (vd.source !== 'qeff-disagg') continue;
      const code = typeof vd.code === 'object' ? String(vd.code.value) : String(vd.code);
      const entry = stored.byKey.get(diagnosticKey(code, vd.range));
      if (!entry) continue;
      entry.fixes.forEach((fix, i) => actions.push(this.action(doc, fix, vd, i === 0)));
      const first = entry.fixes[0];
      if (first.fixAllSafe && !fixAllDone.has(code)) {
        const all = [...stored.byKey.values()].filter(e => e.diagnostic.code === code && e.fixes[0]?.fixAllSafe);
        if (all.length > 1) {
          fixAllDone.add(code);
          const action = new vscode.CodeAction(vscode.l10n.t('Fix all {0} problems in this file ({1})', code, all.length), vscode.CodeActionKind.QuickFix);
          action.edit = toWorkspaceEdit(doc.uri, all.flatMap(e => e.fixes[0].edits));
          actions.push(action);
        }
      }
    }
    return actions;
  }

  private fixAll(doc: vscode.TextDocument): vscode.CodeAction[] {
    // Python scripts keep their fixes per quick fix only: a script is not rewritten on save.
    if (!this.diagnostics.reportedFor) return [];
    // The text as it is now (on save the debounced diagnostics may lag behind the last keystroke).
    const edits = fixAllEdits(this.diagnostics.reportedFor(doc) ?? applyRuleSettings(checkText(doc.getText(), checkOptions(doc)), ruleSettings()));
    if (!edits.length) return [];
    const action = new vscode.CodeAction(vscode.l10n.t('Fix all safe qeff-disagg problems'), ConfigCodeActions.fixAllKind);
    action.edit = toWorkspaceEdit(doc.uri, edits);
    return [action];
  }

  private action(doc: vscode.TextDocument, fix: Fix, vd: vscode.Diagnostic, preferred: boolean): vscode.CodeAction {
    const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
    action.diagnostics = [vd];
    action.isPreferred = preferred;
    if (fix.command) action.command = { command: fix.command.id, title: fix.title, arguments: [doc.uri, ...fix.command.arguments] };
    else action.edit = toWorkspaceEdit(doc.uri, fix.edits);
    return action;
  }
}

/** The "pick a file" fix of QEFF-NPI-01/02: a file picker, then an undoable edit of node_precision_info. */
export function registerPickNpiFile(): vscode.Disposable {
  return vscode.commands.registerCommand(PICK_NPI_COMMAND, async (uri?: vscode.Uri, stage?: string) => {
    const editor = vscode.window.activeTextEditor;
    const docUri = uri ?? editor?.document.uri;
    if (!docUri || (stage !== 'prefill' && stage !== 'decode')) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Open a *.qeff.json config and use the quick fix on its node-precision-info problem.'));
      return false;
    }
    const doc = await vscode.workspace.openTextDocument(docUri);
    const folder = vscode.Uri.joinPath(docUri, '..');
    const file = await pickUpstreamNpi(doc, stage) ?? await browseNpi(folder, stage);
    if (!file) return false;
    const value = relativePath(folder, file);
    const edits = setValueEdits(doc.getText(), [stage, 'compile', 'node_precision_info'], value);
    return vscode.workspace.applyEdit(toWorkspaceEdit(doc.uri, edits));
  });
}

const BROWSE = Symbol('browse');

/** Upstream's NPI files from the QEfficient checkout the environment probe found, the one that fits the
 * stage's use_onnx_subfunctions first; undefined to browse instead (or when there is no checkout). */
async function pickUpstreamNpi(doc: vscode.TextDocument, stage: StageKey): Promise<vscode.Uri | undefined> {
  const init = probedQefficientFile();
  if (!init) return undefined;
  let subfunctions = false;
  try {
    subfunctions = buildPlan(doc.getText(), checkOptions(doc)).stages.find(s => s.stage === stage)?.compile.use_onnx_subfunctions === true;
  } catch { /* a config that does not plan: no preference */ }
  const found = upstreamNpiCandidates(init, subfunctions, nodeFileHost);
  if (!found.length) return undefined;
  const items: (vscode.QuickPickItem & { file: vscode.Uri | typeof BROWSE })[] = found.map(c => ({
    label: basename(c.path), file: vscode.Uri.file(c.path), detail: c.path,
    description: c.fits ? vscode.l10n.t('fits this stage (use_onnx_subfunctions: {0})', String(subfunctions)) : vscode.l10n.t('for the other subfunction setting'),
  }));
  items.push({ label: vscode.l10n.t('Browse…'), file: BROWSE });
  const picked = await vscode.window.showQuickPick(items, {
    title: vscode.l10n.t('Node-precision-info file for the {0} stage', stage),
    placeHolder: vscode.l10n.t('From your QEfficient checkout {0}', checkoutRoot(init)),
  });
  if (!picked) return undefined;
  return picked.file === BROWSE ? browseNpi(vscode.Uri.file(resolvePath(checkoutRoot(init), UPSTREAM_NPI_DIR)), stage) : picked.file;
}

async function browseNpi(defaultUri: vscode.Uri, stage: StageKey): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    defaultUri, canSelectFiles: true, canSelectFolders: false, canSelectMany: false,
    filters: { [vscode.l10n.t('Node precision info (YAML)')]: ['yaml', 'yml'] },
    openLabel: vscode.l10n.t('Use as node_precision_info'),
    title: vscode.l10n.t('Node-precision-info file for the {0} stage', stage),
  });
  return picked?.[0];
}

/** A path relative to the config's folder when the file is beneath it, else absolute (POSIX separators). */
function relativePath(folder: vscode.Uri, file: vscode.Uri): string {
  const base = folder.path.endsWith('/') ? folder.path : folder.path + '/';
  if (file.scheme === folder.scheme && file.path.startsWith(base)) return file.path.slice(base.length);
  return file.scheme === 'file' ? file.fsPath : file.toString();
}
