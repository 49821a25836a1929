// Registers the runner: commands, status bar, tasks. Nothing is started here: the environment probe
// runs when a config is first opened in a trusted workspace, or on "Check Environment".
import * as vscode from 'vscode';
import { buildPlan } from '../../core/plan';
import { stageScript } from '../../core/pythonScript';
import { COMMANDS } from '../../core/commandIds';
import { STEPS, type Step } from '../../core/runnerProtocol';
import type { StageKey } from '../../core/types';
import { checkOptions, isConfigDocument } from '../configDocuments';
import { EnvironmentStatus } from './environment';
import { execEnvRefusal } from './execEnvConfirm';
import { selectInterpreter } from './interpreter';
import { ManualCommands, type ManualCommand } from './manualCommands';
import { Runs, type CompiledQpc } from './runs';
import { QeffTaskProvider, TASK_TYPE } from './taskProvider';
import { refusalOf } from './stageRun';
import { targetOf } from './target';
import { refuseIfUntrusted } from './trust';

/** What the extension exports for other extensions and for tests. */
export interface RunnerApi {
  manualCommand(config: vscode.Uri, stage: string): ManualCommand | undefined;
  /** The qeff-disagg task provider (fetchTasks does not answer in an untrusted workspace). */
  taskProvider: QeffTaskProvider;
  /** A stage compiled to a QPC folder by a run. */
  onDidCompile: vscode.Event<CompiledQpc>;
}

/** The runner's parts that the QEfficient view follows. */
export interface RunnerParts { api: RunnerApi; runs: Runs; manual: ManualCommands }

export function registerRunner(context: vscode.ExtensionContext, recheckConfigs: () => void): RunnerParts {
  const driverPath = context.asAbsolutePath('src/runner/qeff_driver.py');
  const manual = new ManualCommands(context.workspaceState);
  const runs = new Runs(driverPath, manual);
  const env = new EnvironmentStatus(driverPath, recheckConfigs);
  const taskProvider = new QeffTaskProvider(driverPath, runs, context.workspaceState);
  const cmd = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, fn);

  const runCommand = (steps: readonly Step[], allStages: boolean) => async (a?: unknown, b?: unknown) => {
    if (refuseIfUntrusted()) return [];
    const target = targetOf(a, b);
    const config = await pickConfig(target.uri);
    if (!config) return [];
    const refusal = await refusalOf(config); // before asking anything
    if (refusal) { void vscode.window.showErrorMessage(refusal); return [{ kind: 'refused', message: refusal }]; }
    const stages = allStages ? await stagesOf(config) : target.stage ? [target.stage] : await pickStage(config);
    if (!stages?.length) return [];
    const envRefusal = await execEnvRefusal(context.workspaceState, config, stages);
    if (envRefusal) { void vscode.window.showWarningMessage(envRefusal); return [{ kind: 'refused', message: envRefusal }]; }
    void env.probe();
    return runs.run(config, stages, steps);
  };

  const withManual = (fn: (c: ManualCommand) => unknown) => async (a?: unknown, b?: unknown) => {
    const target = targetOf(a, b);
    const c = await pickManual(manual, target.uri, target.stage);
    return c ? fn(c) : undefined;
  };

  context.subscriptions.push(
    runs, manual, env,
    cmd(COMMANDS.export, runCommand(['export'], false)),
    cmd(COMMANDS.compile, runCommand(['compile'], false)),
    cmd(COMMANDS.exportAndCompile, runCommand(STEPS, true)),
    cmd(COMMANDS.cancel, () => runs.cancel()),
    cmd(COMMANDS.showOutput, () => runs.channel.show()),
    cmd(COMMANDS.selectInterpreter, async () => { await selectInterpreter(); await env.probe(true); }),
    cmd(COMMANDS.checkEnvironment, async () => {
      if (refuseIfUntrusted()) return undefined;
      await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Checking the QEfficient environment…') },
        () => env.probe(true));
      const report = env.report();
      const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: report });
      await vscode.window.showTextDocument(doc, { preview: true });
      const copy = vscode.l10n.t('Copy Report');
      void vscode.window.showInformationMessage(vscode.l10n.t('Environment report ready.'), copy)
        .then(c => { if (c) void vscode.env.clipboard.writeText(report); });
      return report;
    }),
    cmd(COMMANDS.showScript, async (a?: unknown, b?: unknown) => {
      const target = targetOf(a, b);
      const config = await pickConfig(target.uri);
      if (!config) return undefined;
      const stages = target.stage ? [target.stage] : await pickStage(config);
      if (!stages?.length) return undefined;
      const doc = await vscode.workspace.openTextDocument(config);
      const script = stageScript(buildPlan(doc.getText(), checkOptions(doc)), stages[0]);
      if (!script) { void vscode.window.showErrorMessage(vscode.l10n.t('The config has no valid "{0}" stage.', stages[0])); return undefined; }
      const shown = await vscode.workspace.openTextDocument({ language: 'python', content: script });
      await vscode.window.showTextDocument(shown, { preview: true });
      return script;
    }),
    cmd(COMMANDS.copyCompileCommand, withManual(c => manual.copy(c))),
    cmd(COMMANDS.runCompileCommand, withManual(c => { if (!refuseIfUntrusted()) manual.runInTerminal(c); })),
    cmd(COMMANDS.saveCompileCommand, withManual(c => manual.saveScript(c))),
    vscode.tasks.registerTaskProvider(TASK_TYPE, taskProvider),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void env.probe()),
  );
  env.show();
  // Probe lazily, once a config is open (and only in a trusted workspace).
  const maybeProbe = (d: vscode.TextDocument) => { if (isConfigDocument(d)) void env.probe(); };
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(maybeProbe));
  setTimeout(() => vscode.workspace.textDocuments.forEach(maybeProbe), 1000);
  return { api: { manualCommand: (config, stage) => manual.get(config, stage), taskProvider, onDidCompile: runs.onDidCompile }, runs, manual };
}

async function pickConfig(uri?: vscode.Uri): Promise<vscode.Uri | undefined> {
  if (uri instanceof vscode.Uri && uri.path.endsWith('.qeff.json')) return uri;
  const active = vscode.window.activeTextEditor?.document;
  if (active && isConfigDocument(active)) return active.uri;
  const found = await vscode.workspace.findFiles('**/*.qeff.json', '**/node_modules/**', 100);
  if (found.length === 1) return found[0];
  const picked = await vscode.window.showQuickPick(found.map(u => ({ label: vscode.workspace.asRelativePath(u), uri: u })),
    { placeHolder: vscode.l10n.t('Which config?') });
  if (!found.length) void vscode.window.showErrorMessage(vscode.l10n.t('No *.qeff.json config in this workspace: create one with "New Disaggregated Serving Config…".'));
  return picked?.uri;
}

async function stagesOf(config: vscode.Uri): Promise<StageKey[]> {
  const doc = await vscode.workspace.openTextDocument(config);
  try {
    return buildPlan(doc.getText(), checkOptions(doc)).stages.map(s => s.stage);
  } catch {
    return [];
  }
}

async function pickStage(config: vscode.Uri): Promise<StageKey[] | undefined> {
  const stages = await stagesOf(config);
  if (stages.length <= 1) {
    if (!stages.length) void vscode.window.showErrorMessage(vscode.l10n.t('The config has no stage with a valid mode.'));
    return stages;
  }
  const picked = await vscode.window.showQuickPick(stages.map(s => ({ label: s, stage: s })), { placeHolder: vscode.l10n.t('Which stage?') });
  return picked ? [picked.stage] : undefined;
}

async function pickManual(manual: ManualCommands, uri?: vscode.Uri, stage?: string): Promise<ManualCommand | undefined> {
  if (uri instanceof vscode.Uri && stage) return manual.get(uri, stage);
  const all = manual.all().filter(c => !uri || c.config === uri.toString());
  if (!all.length) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No compiler command has been captured yet: it is captured when a compile fails with "Compilation failed!".'));
    return undefined;
  }
  if (all.length === 1) return all[0];
  const picked = await vscode.window.showQuickPick(all.map(c => ({ label: `${vscode.workspace.asRelativePath(vscode.Uri.parse(c.config))} — ${c.stage}`, c })));
  return picked?.c;
}
