// Before a run: a config whose env changes what runs (LD_PRELOAD, PYTHONPATH, BASH_ENV... QEFF-EXEC-01) is
// run only once the user has seen those variables and said yes. The answer is kept per config for exactly
// those values (workspace state), so a deliberate LD_LIBRARY_PATH asks once, and a changed value asks again.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { describeExecEnv, execEnvKey, execEnvOf } from '../../core/execEnv';
import { buildPlan } from '../../core/plan';
import { printable } from '../../core/printable';
import type { StageKey } from '../../core/types';
import { checkOptions } from '../configDocuments';

const STATE_KEY = 'qeffDisagg.acceptedExecEnv';

/** undefined when the run may go on; else why it does not (the question was declined or not answered). */
export async function execEnvRefusal(state: vscode.Memento, configUri: vscode.Uri, stages: readonly StageKey[]): Promise<string | undefined> {
  const doc = await vscode.workspace.openTextDocument(configUri);
  let vars;
  try {
    vars = execEnvOf(buildPlan(doc.getText(), checkOptions(doc)), stages);
  } catch {
    return undefined; // no plan: the run refuses on its own, with the config's errors
  }
  if (!vars.length) return undefined;
  const accepted = state.get<Record<string, string>>(STATE_KEY, {});
  const key = execEnvKey(vars);
  if (accepted[configUri.toString()] === key) return undefined;
  const name = printable(basename(configUri.fsPath));
  const run = vscode.l10n.t('Run with These Variables');
  // A question that cannot be shown (e.g. dialogs refused) is a No.
  const answer = await Promise.resolve(vscode.window.showWarningMessage(
    vscode.l10n.t('{0} sets environment variables that change what runs (QEFF-EXEC-01). Run with them?', name),
    { modal: true, detail: describeExecEnv(vars) }, run)).catch(() => undefined);
  if (answer !== run) {
    return vscode.l10n.t('Not run: {0} sets {1}, which change what runs, and the run was not confirmed.', name, [...new Set(vars.map(v => v.name))].join(', '));
  }
  await state.update(STATE_KEY, { ...accepted, [configUri.toString()]: key });
  return undefined;
}
