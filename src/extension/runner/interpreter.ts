// The Python interpreter: the Python extension's active environment when it is installed, else the
// machine-scoped, restricted setting qeffDisagg.pythonPath, else python3 on PATH.
import * as vscode from 'vscode';
import { log } from '../log';

export interface Interpreter { path: string; source: 'python extension' | 'setting' | 'default' }

export async function resolveInterpreter(resource?: vscode.Uri): Promise<Interpreter> {
  if (vscode.extensions.getExtension('ms-python.python')) {
    try {
      const { PythonExtension } = await import('@vscode/python-extension');
      const api = await PythonExtension.api();
      const active = api.environments.getActiveEnvironmentPath(resource);
      const env = await api.environments.resolveEnvironment(active);
      const exe = env?.executable.uri?.fsPath;
      if (exe) return { path: exe, source: 'python extension' };
    } catch (e) {
      log().warn(`the Python extension gave no interpreter (${(e as Error).message}); using the setting`);
    }
  }
  const setting = vscode.workspace.getConfiguration('qeffDisagg').get<string>('pythonPath')?.trim();
  if (setting) return { path: setting, source: 'setting' };
  return { path: 'python3', source: 'default' };
}

/** "Select Python Interpreter": the Python extension's picker when present, else the setting. */
export async function selectInterpreter(): Promise<void> {
  if (vscode.extensions.getExtension('ms-python.python')) {
    await vscode.commands.executeCommand('python.setInterpreter');
    return;
  }
  const current = vscode.workspace.getConfiguration('qeffDisagg').get<string>('pythonPath') ?? '';
  const value = await vscode.window.showInputBox({
    title: vscode.l10n.t('Python interpreter for QEfficient'),
    prompt: vscode.l10n.t('Path of the python executable of the environment where QEfficient is installed (empty: python3 on PATH)'),
    value: current,
    ignoreFocusOut: true,
  });
  if (value === undefined) return;
  await vscode.workspace.getConfiguration('qeffDisagg').update('pythonPath', value.trim() || undefined, vscode.ConfigurationTarget.Global);
}
