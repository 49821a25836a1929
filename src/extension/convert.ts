// Core data -> vscode objects.
import * as vscode from 'vscode';
import { NOT_ANALYSED } from '../core/python/scriptCheck';
import { docsAnchor, ruleInfo } from '../core/ruleRegistry';
import type { Diagnostic, Fix, Range, Severity, TextEdit } from '../core/types';

export function toRange(r: Range): vscode.Range {
  return new vscode.Range(r.start.line, r.start.character, r.end.line, r.end.character);
}

export function toSeverity(s: Severity): vscode.DiagnosticSeverity {
  switch (s) {
    case 'error': return vscode.DiagnosticSeverity.Error;
    case 'warning': return vscode.DiagnosticSeverity.Warning;
    case 'info': return vscode.DiagnosticSeverity.Information;
    case 'hint': return vscode.DiagnosticSeverity.Hint;
  }
}

export function toWorkspaceEdit(uri: vscode.Uri, edits: TextEdit[]): vscode.WorkspaceEdit {
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(uri, toRange(e.range), e.newText);
  return we;
}

/** A stable key of a diagnostic: its code and range. */
export function diagnosticKey(code: string, r: Range | vscode.Range): string {
  return `${code}|${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
}

/** A core diagnostic as the editor shows it: source, code with its docs/rules.md link, tags. */
export function toVsDiagnostic(d: Diagnostic, docsUri: vscode.Uri): vscode.Diagnostic {
  const vd = new vscode.Diagnostic(toRange(d.range), d.message, toSeverity(d.severity));
  vd.source = 'qeff-disagg';
  // The "not analysed" hint of scripts is documented with the script support, not as a rule.
  vd.code = { value: d.code, target: docsUri.with({ fragment: d.code === NOT_ANALYSED ? 'python-scripts' : docsAnchor(d.code) }) };
  if (ruleInfo(d.code)?.unnecessary) vd.tags = [vscode.DiagnosticTag.Unnecessary];
  return vd;
}

/** The fixes of a document's diagnostics, by diagnosticKey: what the code-action provider offers. */
export type FixesByKey = Map<string, { diagnostic: Diagnostic; fixes: Fix[] }>;

/** A document's core diagnostics as the editor shows them (related places in the same document), and their fixes. */
export function toVsDiagnostics(found: readonly Diagnostic[], uri: vscode.Uri, docsUri: vscode.Uri): { list: vscode.Diagnostic[]; byKey: FixesByKey } {
  const byKey: FixesByKey = new Map();
  const list = found.map(d => {
    const vd = toVsDiagnostic(d, docsUri);
    if (d.related) vd.relatedInformation = d.related.map(r => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, toRange(r.range)), r.message));
    const fixes = [...(d.fix ? [d.fix] : []), ...(d.moreFixes ?? [])];
    if (fixes.length) byKey.set(diagnosticKey(d.code, d.range), { diagnostic: d, fixes });
    return vd;
  });
  return { list, byKey };
}
