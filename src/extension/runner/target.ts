// What a run command was invoked on: nothing (palette), a Uri (explorer, editor), a Uri and a stage (a lens,
// another command) or a node of the QEfficient view (which carries configUri and stage).
import * as vscode from 'vscode';
import type { StageKey } from '../../core/types';

export interface StageTarget { configUri: vscode.Uri; stage?: StageKey }

const isStage = (s: unknown): s is StageKey => s === 'prefill' || s === 'decode';

export function targetOf(a: unknown, b?: unknown): { uri?: vscode.Uri; stage?: StageKey } {
  if (a instanceof vscode.Uri) return { uri: a, stage: isStage(b) ? b : undefined };
  const node = a as Partial<StageTarget> | undefined;
  if (node && typeof node === 'object' && node.configUri instanceof vscode.Uri) {
    return { uri: node.configUri, stage: isStage(node.stage) ? node.stage : undefined };
  }
  return {};
}
