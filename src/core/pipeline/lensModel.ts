// What the CodeLens shows above each stage object of a config: where the stage starts, its mode and its
// KV-cache memory (the plan's estimate); and where the "serving" section starts (its Serve lens). No vscode
// import; cheap enough for every keystroke.
import { buildView } from '../configView';
import { isObject, prop } from '../jsonNodes';
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

/** Offset of the "serving" key when the config has a serving object (its lenses go on that line). */
export function servingLensOffset(text: string): number | undefined {
  const { root } = parseDocument(text);
  const p = root?.type === 'object' ? prop(root, 'serving') : undefined;
  return p && isObject(p.value) ? p.prop.offset : undefined;
}
