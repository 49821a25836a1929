// Entry point: registers the language features and commands; nothing runs here that can wait.
import * as vscode from 'vscode';
import { CONFIG_SELECTOR } from './configDocuments';
import { ConfigCodeActions, registerPickNpiFile } from './language/codeActions';
import { ConfigCompletionProvider } from './language/completionProvider';
import { ConfigDiagnostics } from './language/diagnostics';
import { ConfigHoverProvider } from './language/hoverProvider';
import { log } from './log';
import { registerWizard } from './wizard';
import { registerRunner, type RunnerApi } from './runner';
import { registerServing } from './serving';

export function activate(context: vscode.ExtensionContext): RunnerApi {
  const t0 = performance.now();
  const diagnostics = new ConfigDiagnostics(vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md'));
  context.subscriptions.push(
    diagnostics,
    vscode.languages.registerHoverProvider(CONFIG_SELECTOR, new ConfigHoverProvider()),
    vscode.languages.registerCompletionItemProvider(CONFIG_SELECTOR, new ConfigCompletionProvider(), '"', ':'),
    vscode.languages.registerCodeActionsProvider(CONFIG_SELECTOR, new ConfigCodeActions(diagnostics),
      { providedCodeActionKinds: ConfigCodeActions.kinds }),
    registerPickNpiFile(),
  );
  const api = registerRunner(context, () => diagnostics.recheckAll());
  registerServing(context, api);
  registerWizard(context);
  // The benchmark reads this line from the log (activation time measured in the real extension host).
  log().info(`qeff-disagg activated in ${(performance.now() - t0).toFixed(2)} ms`);
  return api;
}

export function deactivate(): void {
  // Everything is disposed through context.subscriptions.
}
