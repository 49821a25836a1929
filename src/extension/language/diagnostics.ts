// Inline diagnostics for *.qeff.json: checked on open and on change (debounced), cleared on close and
// delete, re-checked when a file the config refers to (an NPI file, a model's config.json) changes.
import * as vscode from 'vscode';
import { checkText } from '../../core/check';
import { nodeFileHost, readBoundedFile } from '../../core/nodeFileHost';
import type { Diagnostic } from '../../core/types';
import { applyRuleSettings } from '../../core/ruleSettings';
import { CONFIG_GLOB, checkOptions, isConfigDocument, ruleSettings } from '../configDocuments';
import { toVsDiagnostics, type FixesByKey } from '../convert';
import { PerDocumentDebounce } from './debounce';
import { log } from '../log';

const DEBOUNCE_MS = 150;

interface StoredFixes { version: number; all: Diagnostic[]; byKey: FixesByKey }

export class ConfigDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('qeff-disagg');
  private readonly pending = new PerDocumentDebounce();
  private readonly fixes = new Map<string, StoredFixes>();
  /** config uri -> absolute paths of files its check read. */
  private readonly deps = new Map<string, Set<string>>();
  private readonly disposables: vscode.Disposable[] = [this.collection];

  constructor(private readonly docsUri: vscode.Uri) {
    this.disposables.push(
      vscode.workspace.onDidOpenTextDocument(d => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument(e => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument(d => this.forget(d.uri)),
      vscode.workspace.onDidDeleteFiles(e => e.files.forEach(u => this.forget(u))),
      vscode.workspace.onDidRenameFiles(e => e.files.forEach(f => this.forget(f.oldUri))),
      vscode.workspace.onDidChangeConfiguration(e => { if (e.affectsConfiguration('qeffDisagg')) this.recheckAll(); }),
    );
    // Deleted outside the editor (terminal, git): forget the config's diagnostics too.
    const configs = vscode.workspace.createFileSystemWatcher(CONFIG_GLOB, true, true, false);
    this.disposables.push(configs, configs.onDidDelete(u => this.forget(u)));
    const watcher = vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml,json}');
    const onDep = (uri: vscode.Uri) => this.dependencyChanged(uri.fsPath);
    this.disposables.push(watcher, watcher.onDidChange(onDep), watcher.onDidCreate(onDep), watcher.onDidDelete(onDep));
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  recheckAll(): void {
    for (const doc of vscode.workspace.textDocuments) this.schedule(doc, 0);
  }

  /** The diagnostics of a document as the core reported them (after the rule settings), if they still match its version. */
  reportedFor(doc: vscode.TextDocument): readonly Diagnostic[] | undefined {
    const stored = this.fixes.get(doc.uri.toString());
    return stored && stored.version === doc.version ? stored.all : undefined;
  }

  /** The fixes stored with the diagnostics of a document, if they still match its version. */
  fixesFor(doc: vscode.TextDocument): StoredFixes | undefined {
    const stored = this.fixes.get(doc.uri.toString());
    return stored && stored.version === doc.version ? stored : undefined;
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (!isConfigDocument(doc)) return;
    this.pending.schedule(doc.uri.toString(), delay, () => this.run(doc));
  }

  private run(doc: vscode.TextDocument): void {
    if (doc.isClosed) return;
    const version = doc.version;
    const read = new Set<string>();
    const host = {
      readFile: (p: string) => { read.add(p); return nodeFileHost.readFile(p); },
      readText: (p: string) => { read.add(p); return readBoundedFile(p); },
    };
    let found: Diagnostic[];
    try {
      found = applyRuleSettings(checkText(doc.getText(), checkOptions(doc, host)), ruleSettings());
    } catch (e) {
      // A bug in a rule must not cost the user the editor: log it and show nothing stale.
      log().error(`check of ${doc.uri.fsPath} failed: ${(e as Error).stack ?? e}`);
      this.collection.delete(doc.uri);
      return;
    }
    if (doc.version !== version) return; // a newer text is scheduled; never show a stale result
    this.deps.set(doc.uri.toString(), read);
    const { list, byKey } = toVsDiagnostics(found, doc.uri, this.docsUri);
    this.fixes.set(doc.uri.toString(), { version, all: found, byKey });
    this.collection.set(doc.uri, list);
  }

  private forget(uri: vscode.Uri): void {
    const key = uri.toString();
    this.pending.cancel(key);
    this.collection.delete(uri);
    for (const perDocument of [this.fixes, this.deps]) perDocument.delete(key);
  }

  private dependencyChanged(path: string): void {
    for (const doc of vscode.workspace.textDocuments) {
      if (this.deps.get(doc.uri.toString())?.has(path)) this.schedule(doc, DEBOUNCE_MS);
    }
  }

  dispose(): void {
    this.pending.dispose();
    for (const d of this.disposables) d.dispose();
  }
}
