// Registers the pipeline at a glance: the QEfficient view, the stage CodeLens, the run history and the
// run's status bar item. Cheap at activation: the view computes its tree when first shown.
import * as vscode from 'vscode';
import type { RunnerParts } from '../runner';
import { targetOf } from '../runner/target';
import { StageCodeLenses } from './codeLens';
import { RunHistory } from './history';
import { PipelineModel, type ServingSource } from './pipelineModel';
import { RunStatusBar } from './runStatusBar';
import { PipelineTree, type PipelineNode, type RunNode } from './treeView';
import { CONFIG_SELECTOR } from '../configDocuments';

export const VIEW_ID = 'qeffDisagg.pipeline';

/** For tests: the view's items as the tree gives them to the workbench. */
export interface ViewApi {
  viewItems(): Promise<{ label: string; description: string; contextValue: string; children: { label: string; description: string; contextValue: string }[] }[]>;
  historyFlushed(): Promise<void>;
}

export function registerPipelineView(context: vscode.ExtensionContext, { runs, manual }: RunnerParts, serving: ServingSource): ViewApi {
  const storage = (context.storageUri ?? context.globalStorageUri).fsPath;
  const history = new RunHistory(storage);
  const model = new PipelineModel(runs, manual, history, serving);
  const tree = new PipelineTree(model, history);
  const lenses = new StageCodeLenses(manual, model, serving);
  runs.expectedDuration = (config, stage, step) => history.expected(config, stage, step);
  context.subscriptions.push(
    history, model, lenses,
    runs.onDidChangeRunState(ev => history.handle(ev)),
    new RunStatusBar(runs, (config, stage, step) => history.expected(config, stage, step)),
    vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true }),
    vscode.languages.registerCodeLensProvider(CONFIG_SELECTOR, lenses),
    vscode.commands.registerCommand('qeffDisagg.refreshView', () => model.invalidate()),
    vscode.commands.registerCommand('qeffDisagg.showProblems', async (a?: unknown) => {
      const { uri } = targetOf(a);
      // The checks run on open configs: open it beside, then show the Problems panel.
      if (uri) await vscode.window.showTextDocument(uri, { preview: true });
      await vscode.commands.executeCommand('workbench.actions.view.problems');
    }),
    vscode.commands.registerCommand('qeffDisagg.showLog', async (a?: unknown) => {
      const node = a as Partial<RunNode> | undefined;
      const { uri, stage } = targetOf(a);
      const record = node?.record ?? (uri && stage ? history.runs(uri, stage).find(r => history.logUri(r)) : undefined);
      const log = record && history.logUri(record);
      if (!log) { void vscode.window.showInformationMessage(vscode.l10n.t('No run log is kept for this stage.')); return undefined; }
      await vscode.window.showTextDocument(log, { preview: true });
      return log;
    }),
  );
  const flatten = async (n: PipelineNode) => {
    const item = tree.getTreeItem(n);
    return { label: String(item.label ?? ''), description: String(item.description ?? ''), contextValue: item.contextValue ?? '' };
  };
  return {
    async viewItems() {
      const out = [];
      for (const c of await tree.getChildren()) {
        const children = [];
        for (const s of await tree.getChildren(c)) children.push(await flatten(s));
        out.push({ ...(await flatten(c)), children });
      }
      return out;
    },
    historyFlushed: () => history.flushed(),
  };
}
