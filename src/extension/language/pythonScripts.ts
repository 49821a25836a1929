// The config rules in Python scripts that use QEfficient: diagnostics (same codes and docs links), hover on a
// kwarg, quick fixes that are literal edits, and "Convert to .qeff.json" on each analysed compile call.
// The parser starts on the first Python document that mentions QEfficient, never at activation.
import * as vscode from 'vscode';
import { MENTIONS_QEFFICIENT, initPythonParser } from '../../core/python/parser';
import { analyseScript, checkAnalysis, convertibleCalls, hoverScript, ImportError, importScript, type ScriptAnalysis } from '../../core/python/scriptCheck';
import { ScriptTrees } from '../../core/python/scriptTrees';
import type { Diagnostic } from '../../core/types';
import { checkOptions } from '../configDocuments';
import { toRange, toVsDiagnostics, type FixesByKey } from '../convert';
import { PerDocumentDebounce } from './debounce';
import { log } from '../log';

export const PYTHON_SELECTOR: vscode.DocumentSelector = [{ language: 'python' }];
export const IMPORT_SCRIPT_COMMAND = 'qeffDisagg.importScript';
const DEBOUNCE_MS = 300;

interface Analysed { version: number; analysis: ScriptAnalysis; byKey: FixesByKey }

function isScript(doc: vscode.TextDocument): boolean {
  return doc.languageId === 'python' && doc.uri.scheme !== 'git' && doc.uri.scheme !== 'output';
}

export class PythonScripts implements vscode.Disposable, vscode.HoverProvider, vscode.CodeLensProvider {
  private readonly collection = vscode.languages.createDiagnosticCollection('qeff-disagg-python');
  private readonly trees = new ScriptTrees();
  private readonly analysed = new Map<string, Analysed>();
  private readonly pending = new PerDocumentDebounce();
  private readonly lensesChanged = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.lensesChanged.event;
  private readonly disposables: vscode.Disposable[] = [this.collection, this.lensesChanged];
  private parser: Promise<unknown> | undefined;

  constructor(private readonly extensionUri: vscode.Uri, private readonly docsUri: vscode.Uri) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument(d => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument(e => {
        if (!isScript(e.document)) return;
        this.trees.edit(e.document.uri.toString(), e.contentChanges.map(c => ({
          rangeOffset: c.rangeOffset, rangeLength: c.rangeLength, text: c.text, start: c.range.start, end: c.range.end,
        })));
        this.schedule(e.document, DEBOUNCE_MS);
      }),
      vscode.workspace.onDidCloseTextDocument(d => this.forget(d.uri)),
      vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration('qeffDisagg')) this.recheckAll(); }),
    );
    this.recheckAll();
  }

  recheckAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** The fixes stored with the diagnostics of a document, if they still match its version (codeActions.ts). */
  fixesFor(doc: vscode.TextDocument): Analysed | undefined {
    const a = this.analysed.get(doc.uri.toString());
    return a && a.version === doc.version ? a : undefined;
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isScript(doc)) return;
    this.pending.schedule(doc.uri.toString(), delay, () => void this.run(doc));
  }

  private startParser(): Promise<unknown> {
    const read = async (name: string) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(this.extensionUri, 'dist', name));
    this.parser ??= initPythonParser(read).then(() => log().info('Python parser started'));
    return this.parser;
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    if (doc.isClosed || !MENTIONS_QEFFICIENT.test(doc.getText())) {
      this.forget(doc.uri);
      return;
    }
    try {
      await this.startParser();
    } catch (e) {
      this.parser = undefined;
      log().error(`the Python parser did not start: ${(e as Error).stack ?? e}`);
      return;
    }
    if (doc.isClosed) return;
    const version = doc.version;
    const text = doc.getText();
    let analysis: ScriptAnalysis;
    let found: Diagnostic[];
    try {
      analysis = analyseScript(text, this.trees.tree(key, text));
      found = checkAnalysis(analysis, checkOptions(doc));
    } catch (e) {
      // A bug in the analysis must not cost the user the editor: log it and show nothing stale.
      log().error(`check of ${doc.uri.fsPath} failed: ${(e as Error).stack ?? e}`);
      this.forget(doc.uri);
      return;
    }
    const { list, byKey } = toVsDiagnostics(found, doc.uri, this.docsUri);
    this.analysed.set(key, { version, analysis, byKey });
    this.collection.set(doc.uri, list);
    this.lensesChanged.fire();
  }

  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const a = this.fixesFor(doc);
    const h = a && hoverScript(a.analysis, doc.offsetAt(position), checkOptions(doc));
    if (!h) return undefined;
    return new vscode.Hover(new vscode.MarkdownString(h.markdown), new vscode.Range(doc.positionAt(h.offset), doc.positionAt(h.offset + h.length)));
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const a = this.fixesFor(doc);
    if (!a) return [];
    return convertibleCalls(a.analysis).map(s => new vscode.CodeLens(toRange(a.analysis.lines.range(s.start, s.end - s.start)), {
      title: vscode.l10n.t('Convert to .qeff.json'), command: IMPORT_SCRIPT_COMMAND, arguments: [doc.uri],
    }));
  }

  /** Writes the script's config beside it (asking before it replaces a file) and opens it. */
  async importScript(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
    const docUri = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!docUri) return undefined;
    const doc = await vscode.workspace.openTextDocument(docUri);
    if (doc.isUntitled) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Save the script first: the config is written beside it.'));
      return undefined;
    }
    let text: string;
    try {
      await this.startParser();
      text = importScript(analyseScript(doc.getText()), docUri.path.split('/').pop() ?? 'script.py');
    } catch (e) {
      if (!(e instanceof ImportError)) log().error(`import of ${docUri.fsPath} failed: ${(e as Error).stack ?? e}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot convert this script: {0}', (e as Error).message));
      return undefined;
    }
    const target = docUri.with({ path: docUri.path.replace(/(\.py)?$/i, '.qeff.json') });
    let exists = true;
    try { await vscode.workspace.fs.stat(target); } catch { exists = false; }
    if (exists) {
      const replace = vscode.l10n.t('Replace');
      const answer = await vscode.window.showWarningMessage(
        vscode.l10n.t('{0} exists. Replace it with the config converted from this script?', target.path.split('/').pop() ?? ''), { modal: true }, replace);
      if (answer !== replace) return undefined;
    }
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    await vscode.window.showTextDocument(target);
    return target;
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.pending.cancel(key);
    this.collection.delete(uri);
    this.analysed.delete(key);
    this.trees.forget(key);
  }

  dispose(): void {
    this.pending.dispose();
    for (const d of this.disposables) d.dispose();
    this.trees.dispose();
  }
}
