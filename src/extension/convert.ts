// Core data -> vscode objects.
import * as vscode from 'vscode';
import type { Range, Severity, TextEdit } from '../core/types';

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
