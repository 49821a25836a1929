// Small typed accessors over jsonc-parser nodes, so that rules read "the value of key K" with its node.
import type { Node } from 'jsonc-parser';

export interface Prop {
  name: string;
  /** The property node: key and value. */
  prop: Node;
  key: Node;
  value: Node | undefined;
}

export function isObject(node: Node | undefined): node is Node {
  return node?.type === 'object';
}

// Rules look keys up many times per object: list each object's properties once. A parsed tree is not
// mutated, so the lists are kept on the object node itself, under symbols: a WeakMap per check cost more in
// garbage collection than the lookups it saved.
const PROPS = Symbol('props');
const BY_NAME = Symbol('propsByName');
interface CachedNode extends Node { [PROPS]?: Prop[]; [BY_NAME]?: Map<string, Prop> }

export function props(obj: Node | undefined): Prop[] {
  if (!isObject(obj)) return [];
  const node = obj as CachedNode;
  const cached = node[PROPS];
  if (cached) return cached;
  const out: Prop[] = [];
  for (const p of obj.children ?? []) {
    const key = p.children?.[0];
    if (!key || key.type !== 'string') continue;
    out.push({ name: String(key.value), prop: p, key, value: p.children?.[1] });
  }
  Object.defineProperty(node, PROPS, { value: out });
  return out;
}

/** The last property of that name (JSON semantics: a duplicate key overrides). */
export function prop(obj: Node | undefined, name: string): Prop | undefined {
  if (!isObject(obj)) return undefined;
  const node = obj as CachedNode;
  let byName = node[BY_NAME];
  if (!byName) {
    const list = props(obj);
    // Most objects have a handful of keys: a scan is cheaper than building a Map.
    if (list.length <= 8) {
      for (let i = list.length - 1; i >= 0; i--) if (list[i].name === name) return list[i];
      return undefined;
    }
    byName = new Map();
    for (const p of list) byName.set(p.name, p);
    Object.defineProperty(node, BY_NAME, { value: byName });
  }
  return byName.get(name);
}

export function numberValue(node: Node | undefined): number | undefined {
  return node?.type === 'number' && typeof node.value === 'number' ? node.value : undefined;
}
export function integerValue(node: Node | undefined): number | undefined {
  const n = numberValue(node);
  return n !== undefined && Number.isInteger(n) ? n : undefined;
}
export function booleanValue(node: Node | undefined): boolean | undefined {
  return node?.type === 'boolean' ? Boolean(node.value) : undefined;
}
export function stringValue(node: Node | undefined): string | undefined {
  return node?.type === 'string' ? String(node.value) : undefined;
}
export function isNull(node: Node | undefined): boolean {
  return node?.type === 'null';
}
