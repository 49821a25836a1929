// Entry point: registers the language features and commands; nothing runs here that can wait.
import * as vscode from 'vscode';
import { CONFIG_SELECTOR } from './configDocuments';
import { ConfigCodeActions, registerPickNpiFile } from './language/codeActions';
import { ConfigCompletionProvider } from './language/completionProvider';
import { ConfigDiagnostics } from './language/diagnostics';
import { ConfigHoverProvider } from './language/hoverProvider';
import { cancelAllRuns } from '../node/driverProcess';
import { IMPORT_SCRIPT_COMMAND, PYTHON_SELECTOR, PythonScripts } from './language/pythonScripts';
import { log } from './log';
import { registerWizard } from './wizard';
import { registerRunner, type RunnerApi } from './runner';
import { registerPipelineView, type ViewApi } from './view';
import { registerServing } from './serving';

export function activate(context: vscode.ExtensionContext): RunnerApi & ViewApi {
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
  // Python scripts that use QEfficient: the same rules; the parser starts on the first such document.
  const scripts = new PythonScripts(context.extensionUri, vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md'));
  context.subscriptions.push(
    scripts,
    vscode.languages.registerHoverProvider(PYTHON_SELECTOR, scripts),
    vscode.languages.registerCodeLensProvider(PYTHON_SELECTOR, scripts),
    vscode.languages.registerCodeActionsProvider(PYTHON_SELECTOR, new ConfigCodeActions(scripts), { providedCodeActionKinds: ConfigCodeActions.kinds }),
    vscode.commands.registerCommand(IMPORT_SCRIPT_COMMAND, (uri?: vscode.Uri) => scripts.importScript(uri)),
  );
  const runner = registerRunner(context, () => { diagnostics.recheckAll(); scripts.recheckAll(); });
  const view = registerPipelineView(context, runner, registerServing(context, runner.api));
  registerWizard(context);
  // The benchmark reads this line from the log (activation time measured in the real extension host).
  log().info(`qeff-disagg activated in ${(performance.now() - t0).toFixed(2)} ms`);
  return { ...runner.api, ...view };
}

export function deactivate(): Promise<void> {
  // Everything else is disposed through context.subscriptions. Runs and an environment probe still going
  // are killed (SIGTERM, SIGKILL after 1 s; and SIGKILL when the host process exits first).
  return cancelAllRuns(1000);
}
