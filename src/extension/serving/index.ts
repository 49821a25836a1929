// Registers serving: QEff: Serve, Stop Serving, Send Test Prompt, Show Serve Command, Save Serve Script, and
// the `serve` step of the qeff-disagg task type.
// Starting anything needs a trusted workspace; showing the command does not.
import * as vscode from 'vscode';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { nodeFileHost } from '../../core/nodeFileHost';
import { buildServeCommand, serveScript, type ServeCommand } from '../../core/serving/serveCommand';
import { checkOptions, isConfigDocument } from '../configDocuments';
import type { RunnerApi } from '../runner';
import { resolveInterpreter } from '../runner/interpreter';
import { targetOf } from '../runner/target';
import { refuseIfUntrusted } from '../runner/trust';
import { LastQpc } from './lastQpc';
import { ServeTaskTerminal } from './serveTask';
import { ServingSession } from './session';

/** Returns the session: the view and the lenses show its state. */
export function registerServing(context: vscode.ExtensionContext, runner: RunnerApi): ServingSession {
  const lastQpc = new LastQpc(context.workspaceState);
  const session = new ServingSession();
  const cmd = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, fn);

  /** The checked launch command of a config, or undefined after telling the user why not. */
  const commandFor = async (uri?: vscode.Uri): Promise<{ config: vscode.Uri; command: ServeCommand } | undefined> => {
    const config = await pickConfig(uri);
    if (!config) return undefined;
    const doc = await vscode.workspace.openTextDocument(config);
    if (doc.uri.scheme !== 'file') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Serving needs a config on the local disk.'));
      return undefined;
    }
    const python = (await resolveInterpreter(config)).path;
    const result = buildServeCommand(doc.getText(), { ...checkOptions(doc, nodeFileHost), servingQpc: lastQpc.get(config), python });
    if (!result.command) {
      const problems = vscode.l10n.t('Show Problems');
      void vscode.window.showErrorMessage(vscode.l10n.t('Cannot serve {0}: {1}', basename(config.fsPath), result.error), problems)
        .then(c => { if (c) void vscode.commands.executeCommand('workbench.actions.view.problems'); });
      return undefined;
    }
    return { config, command: result.command };
  };

  runner.taskProvider.setServeTerminal(config => new ServeTaskTerminal(config, session, commandFor));
  context.subscriptions.push(
    session,
    runner.onDidCompile(e => void lastQpc.set(e.config, e.stage, e.qpcPath)),
    cmd('qeffDisagg.serve', async (target?: unknown) => {
      if (refuseIfUntrusted()) return undefined;
      const c = await commandFor(targetOf(target).uri);
      return c ? session.start(c.config, c.command) : undefined;
    }),
    cmd('qeffDisagg.stopServing', () => session.stop()),
    cmd('qeffDisagg.sendTestPrompt', async (prompt?: string) => {
      const text = typeof prompt === 'string' ? prompt : await vscode.window.showInputBox({
        title: vscode.l10n.t('Test prompt'), value: vscode.l10n.t('Say hello in one sentence.'), ignoreFocusOut: true,
      });
      return text ? session.sendTestPrompt(text) : undefined;
    }),
    cmd('qeffDisagg.showServeCommand', async (uri?: vscode.Uri) => {
      const c = await commandFor(uri);
      if (!c) return undefined;
      const text = serveScript(c.command, basename(c.config.fsPath));
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument({ language: 'shellscript', content: text }), { preview: true });
      return text;
    }),
    cmd('qeffDisagg.saveServeScript', async (uri?: vscode.Uri) => {
      const c = await commandFor(uri);
      if (!c) return undefined;
      const target = join(dirname(c.config.fsPath), `${basename(c.config.fsPath).replace(/\.qeff\.json$/, '')}.serve.sh`);
      try {
        // O_EXCL: never overwrites a file and never follows a symlink planted at the target.
        const fh = await open(target, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o755);
        try { await fh.writeFile(serveScript(c.command, basename(c.config.fsPath))); } finally { await fh.close(); }
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        void vscode.window.showErrorMessage(code === 'EEXIST'
          ? vscode.l10n.t('{0} exists: delete or rename it first (qeff-disagg does not overwrite it).', basename(target))
          : vscode.l10n.t('Cannot write {0}: {1}', target, (e as Error).message));
        return undefined;
      }
      const saved = vscode.Uri.file(target);
      await vscode.window.showTextDocument(saved);
      return saved;
    }),
  );
  return session;
}

async function pickConfig(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (uri instanceof vscode.Uri && uri.path.endsWith('.qeff.json')) return uri;
  const active = vscode.window.activeTextEditor?.document;
  if (active && isConfigDocument(active)) return active.uri;
  const found = await vscode.workspace.findFiles('**/*.qeff.json', '**/node_modules/**', 100);
  if (!found.length) {
    void vscode.window.showErrorMessage(vscode.l10n.t('No *.qeff.json config in this workspace.'));
    return undefined;
  }
  if (found.length === 1) return found[0];
  const picked = await vscode.window.showQuickPick(found.map(u => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { placeHolder: vscode.l10n.t('Which config?') });
  return picked?.uri;
}
