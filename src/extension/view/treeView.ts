// The "QEfficient" view: configs → their serving session (while it starts, serves, or after it failed) and
// stages (state icon and one-line description) → the artifacts and the last runs. Items carry configUri and
// stage, so the palette's commands run on them as they are.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { RunRecord } from '../../core/pipeline/runHistory';
import { formatClock } from '../../core/pipeline/stageState';
import type { RunHistory } from './history';
import type { ConfigNode, PipelineModel, ServingNode, StageNode } from './pipelineModel';
import { outcomeIcon, outcomeText, servingIcon, servingText, stateDescription, stateIcon, when } from './stateText';

interface DetailNode { kind: 'detail'; id: string; label: string; description: string; icon: string; path: string }
export interface RunNode { kind: 'run'; configUri: vscode.Uri; stage: StageNode['stage']; record: RunRecord }
export type PipelineNode = ConfigNode | ServingNode | StageNode | DetailNode | RunNode;

const SHOWN_RUNS = 5;

export class PipelineTree implements vscode.TreeDataProvider<PipelineNode> {
  readonly onDidChangeTreeData: vscode.Event<void>;

  constructor(private readonly model: PipelineModel, private readonly history: RunHistory) {
    this.onDidChangeTreeData = model.onDidChange;
  }

  async getChildren(node?: PipelineNode): Promise<PipelineNode[]> {
    if (!node) return this.model.all();
    if (node.kind === 'config') return node.serving ? [node.serving, ...node.stages] : node.stages;
    if (node.kind !== 'stage') return [];
    const id = `${node.configUri}#${node.stage}`;
    const details: DetailNode[] = [];
    if (node.onnxPath) details.push({ kind: 'detail', id: `${id}#onnx`, label: 'ONNX', description: node.onnxPath, icon: 'file-binary', path: node.onnxPath });
    if (node.qpcPath) details.push({ kind: 'detail', id: `${id}#qpc`, label: 'QPC', description: node.qpcPath, icon: 'folder-library', path: node.qpcPath });
    const runs = node.runs.slice(0, SHOWN_RUNS).map((record): RunNode => ({ kind: 'run', configUri: node.configUri, stage: node.stage, record }));
    return [...details, ...runs];
  }

  getTreeItem(node: PipelineNode): vscode.TreeItem {
    switch (node.kind) {
      case 'config': return configItem(node);
      case 'serving': return servingItem(node);
      case 'stage': return stageItem(node);
      case 'detail': {
        const item = new vscode.TreeItem(node.label);
        item.id = node.id;
        item.description = node.description;
        item.tooltip = node.path;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.contextValue = 'qeffArtifact';
        return item;
      }
      case 'run': return this.runItem(node);
    }
  }

  private runItem(node: RunNode): vscode.TreeItem {
    const r = node.record;
    const item = new vscode.TreeItem(`${r.step} · ${outcomeText(r)}`);
    item.id = `run#${r.id}`;
    const duration = r.endedAt !== null ? formatClock(r.endedAt - r.startedAt) : undefined;
    item.description = [when(r.startedAt), duration].filter(Boolean).join(' · ');
    item.tooltip = [item.label, item.description, r.message].filter(Boolean).join('\n');
    item.iconPath = outcomeIcon(r);
    const log = this.history.logUri(r);
    item.contextValue = log ? 'qeffRun:log' : 'qeffRun';
    if (log) item.command = { command: 'qeffDisagg.showLog', title: vscode.l10n.t('Show Log'), arguments: [node] };
    return item;
  }
}

function configItem(node: ConfigNode): vscode.TreeItem {
  const item = new vscode.TreeItem(basename(node.configUri.path), vscode.TreeItemCollapsibleState.Expanded);
  item.id = node.configUri.toString();
  item.resourceUri = node.configUri;
  const folder = vscode.workspace.asRelativePath(node.configUri, false).split('/').slice(0, -1).join('/');
  if (node.errors) {
    item.description = vscode.l10n.t('{0} error(s)', node.errors);
    item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
    item.contextValue = 'qeffConfig:errors';
    item.command = { command: 'qeffDisagg.showProblems', title: vscode.l10n.t('Show Problems'), arguments: [node] };
  } else {
    item.description = folder;
    item.iconPath = new vscode.ThemeIcon('file-code');
    item.contextValue = node.servable ? 'qeffConfig:servable' : 'qeffConfig';
    item.command = { command: 'vscode.open', title: vscode.l10n.t('Open'), arguments: [node.configUri] };
  }
  item.tooltip = vscode.workspace.asRelativePath(node.configUri);
  return item;
}

/** contextValue qeffServing:<phase>: Send Test Prompt and Stop Serving inline while it serves, Serve after a failure. */
function servingItem(node: ServingNode): vscode.TreeItem {
  const s = node.state;
  const item = new vscode.TreeItem(vscode.l10n.t('Serving'));
  item.id = `${node.configUri}#serving`;
  item.description = servingText(s);
  item.iconPath = servingIcon(s);
  item.contextValue = `qeffServing:${s.phase}`;
  item.tooltip = [s.endpoint, s.model, s.phase === 'failed' ? s.message : undefined].filter(Boolean).join('\n');
  return item;
}

function stageItem(node: StageNode): vscode.TreeItem {
  const item = new vscode.TreeItem(`${node.stage} · ${node.mode}`, vscode.TreeItemCollapsibleState.Collapsed);
  item.id = `${node.configUri}#${node.stage}`;
  item.description = stateDescription(node.state);
  item.iconPath = stateIcon(node.state);
  item.contextValue = `qeffStage:${node.state.kind}`;
  const tip = new vscode.MarkdownString(`**${node.stage}** · ${node.mode}\n\n${stateDescription(node.state)}`);
  if (node.onnxPath) tip.appendMarkdown(`\n\nONNX: \`${node.onnxPath}\``);
  if (node.qpcPath) tip.appendMarkdown(`\n\nQPC: \`${node.qpcPath}\``);
  if (node.state.kind === 'manual' && node.state.qpcDir) tip.appendMarkdown(`\n\n${vscode.l10n.t('The QPC lands in')} \`${node.state.qpcDir}\``);
  item.tooltip = tip;
  return item;
}
