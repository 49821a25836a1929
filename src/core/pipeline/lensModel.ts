// What the CodeLens shows above each stage object of a config: where the stage starts, its mode and its
// KV-cache memory (the plan's estimate). No vscode import; cheap enough for every keystroke.
import { buildView } from '../configView';
import { formatBytes } from '../kvMemory';
import { parseDocument } from '../parse';
import { buildPlan, type Plan } from '../plan';
import type { CheckOptions, Mode, StageKey } from '../types';

export interface StageLens {
  stage: StageKey;
  /** Offset of the stage's key in the text (the lens goes on its line). */
  offset: number;
  mode: Mode | undefined;
  /** "292.5 MiB" for all slots, undefined when the family or the mode is unknown. */
  kv: string | undefined;
  slots: number | undefined;
}

export function lensModel(text: string, options: CheckOptions = {}): StageLens[] {
  const { root } = parseDocument(text);
  if (!root || root.type !== 'object') return [];
  let plan: Plan | undefined;
  try { plan = buildPlan(text, options); } catch { plan = undefined; } // no model yet: modes only
  return buildView(root, options).stages.map(s => {
    const p = plan?.stages.find(x => x.stage === s.key);
    return {
      stage: s.key, offset: s.prop.prop.offset, mode: s.mode,
      kv: p && p.kvBytesTotal !== null ? formatBytes(p.kvBytesTotal, p.kvApproximate) : undefined,
      slots: p?.kvSlots,
    };
  });
}
