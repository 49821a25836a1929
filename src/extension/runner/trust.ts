// Untrusted workspaces run nothing: every run command asks this first, and so does a task's execution.
import * as vscode from 'vscode';

export function untrustedMessage(): string {
  return vscode.l10n.t('This workspace is not trusted: qeff-disagg runs nothing here (no Python, no compiler). Checking, hover, completion and the wizard still work.');
}

export function refuseIfUntrusted(): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window.showWarningMessage(untrustedMessage(), vscode.l10n.t('Manage Workspace Trust'))
    .then(choice => { if (choice) void vscode.commands.executeCommand('workbench.trust.manage'); });
  return true;
}
