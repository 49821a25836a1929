// A config's text and check options whether or not it is open in an editor (the view lists closed files).
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { nodeFileHost } from '../../core/nodeFileHost';
import { buildPlan, type Plan } from '../../core/plan';
import { fingerprintOf } from '../../core/pipeline/runHistory';
import type { CheckOptions, StageKey } from '../../core/types';
import { checkOptions, targetVersion } from '../configDocuments';

export interface ConfigSource { text: string; options: CheckOptions }

export function configSource(uri: vscode.Uri): ConfigSource | undefined {
  const doc = vscode.workspace.textDocuments.find(d => d.uri.toString() === uri.toString());
  if (doc) return { text: doc.getText(), options: checkOptions(doc) };
  if (uri.scheme !== 'file') return undefined;
  try {
    return { text: readFileSync(uri.fsPath, 'utf8'), options: { configPath: uri.fsPath, qefficientVersion: targetVersion(), host: nodeFileHost } };
  } catch {
    return undefined;
  }
}

export function planOf(src: ConfigSource | undefined): Plan | undefined {
  if (!src) return undefined;
  try { return buildPlan(src.text, src.options); } catch { return undefined; }
}

/** What a run of the stage depends on: equal fingerprints, equal kwargs, env and model. */
export function stageFingerprint(plan: Plan | undefined, stage: StageKey): string {
  const s = plan?.stages.find(x => x.stage === stage);
  return fingerprintOf(s ? { model: plan?.model, mode: s.mode, fromPretrained: s.fromPretrained, compile: s.compile, env: s.env } : null);
}
