// A typed view of the "serving" section, with the nodes rules report on. Values of the wrong type read as
// undefined (the schema reports them).
import type { Node } from 'jsonc-parser';
import { integerValue, isObject, prop, stringValue, type Prop } from '../jsonNodes';
import type { StageKey } from '../types';

export interface NumberAt { value: number; node: Node }

export interface ServingStageView {
  key: StageKey;
  prop: Prop;
  /** Each device group with the node of each id; a group that is not an array of integers is left out. */
  groups: { node: Node; ids: NumberAt[] }[];
  groupsProp: Prop | undefined;
  ports: NumberAt[];
  portsProp: Prop | undefined;
  maxNumSeqs: NumberAt | undefined;
  qpc: { value: string; node: Node } | undefined;
}

export interface ServingView {
  prop: Prop;
  port: NumberAt | undefined;
  kvHandoffPort: NumberAt | undefined;
  kvStoreSizeMB: NumberAt | undefined;
  stages: Partial<Record<StageKey, ServingStageView>>;
  extraArgs: { value: string; node: Node }[];
}

function numberAt(node: Node | undefined): NumberAt | undefined {
  const value = integerValue(node);
  return value === undefined || !node ? undefined : { value, node };
}

function integers(node: Node | undefined): NumberAt[] {
  return node?.type === 'array' ? (node.children ?? []).map(numberAt).filter((n): n is NumberAt => !!n) : [];
}

function stageOf(key: StageKey, p: Prop | undefined): ServingStageView | undefined {
  if (!p || !isObject(p.value)) return undefined;
  const obj = p.value;
  const groupsProp = prop(obj, 'deviceGroups');
  const groups = groupsProp?.value?.type === 'array'
    ? (groupsProp.value.children ?? []).filter(g => g.type === 'array').map(g => ({ node: g, ids: integers(g) }))
    : [];
  const portsProp = prop(obj, 'ports');
  const qpcNode = prop(obj, 'qpc')?.value;
  const qpc = stringValue(qpcNode);
  return {
    key, prop: p, groups, groupsProp, ports: integers(portsProp?.value), portsProp,
    maxNumSeqs: numberAt(prop(obj, 'maxNumSeqs')?.value),
    qpc: qpc !== undefined && qpcNode ? { value: qpc, node: qpcNode } : undefined,
  };
}

export function servingView(root: Node): ServingView | undefined {
  const p = prop(root, 'serving');
  if (!p || !isObject(p.value)) return undefined;
  const obj = p.value;
  const extra = prop(obj, 'extraArgs')?.value;
  const stages: ServingView['stages'] = {};
  for (const key of ['prefill', 'decode'] as const) {
    const s = stageOf(key, prop(obj, key));
    if (s) stages[key] = s;
  }
  return {
    prop: p,
    port: numberAt(prop(obj, 'port')?.value),
    kvHandoffPort: numberAt(prop(obj, 'kvHandoffPort')?.value),
    kvStoreSizeMB: numberAt(prop(obj, 'kvStoreSizeMB')?.value),
    stages,
    extraArgs: extra?.type === 'array'
      ? (extra.children ?? []).filter(c => c.type === 'string').map(c => ({ value: String(c.value), node: c }))
      : [],
  };
}
