// Schema check: the precompiled ajv validator (scripts/gen-validator.mjs) on the document's value, each
// ajv error mapped to the exact token it concerns (value, key, or the enclosing key for a missing key).
import { findNodeAtLocation, getNodeValue, type Node } from 'jsonc-parser';
import validateConfig from './generated/validateConfig.js';
import type { LineIndex } from './lineIndex';
import type { Diagnostic, Fix } from './types';

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
type Validator = ((data: unknown) => boolean) & { errors?: AjvError[] | null };

function pointerToPath(pointer: string): (string | number)[] {
  if (pointer === '') return [];
  return pointer.slice(1).split('/').map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** The node at a path; array indices arrive as strings and are retried as numbers. */
function nodeAt(root: Node, path: (string | number)[]): Node | undefined {
  let node: Node | undefined = root;
  for (const seg of path) {
    if (!node) return undefined;
    const key: string | number = node.type === 'array' ? Number(seg) : seg;
    node = findNodeAtLocation(node, [key]);
  }
  return node;
}

/** The key token of the property holding `node`, or the object's `{` at the root. */
function keyOf(node: Node): { offset: number; length: number } {
  const parent = node.parent;
  if (parent?.type === 'property' && parent.children?.[0]) return parent.children[0];
  return { offset: node.offset, length: 1 };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'number' && !Number.isInteger(value)) return `the fractional number ${value}`;
  return `${typeof value} ${JSON.stringify(value)}`;
}

function typeNames(t: unknown): string {
  const names: Record<string, string> = { integer: 'an integer', number: 'a number', string: 'a string',
    boolean: 'a boolean (true or false)', object: 'an object', array: 'an array', null: 'null' };
  const list = String(t).split(',').map(x => names[x] ?? x);
  return list.length > 1 ? list.slice(0, -1).join(', ') + ' or ' + list[list.length - 1] : list[0];
}

export function schemaDiagnostics(root: Node, lines: LineIndex): Diagnostic[] {
  const validate = validateConfig as unknown as Validator;
  validate(getNodeValue(root));
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const err of validate.errors ?? []) {
    const path = pointerToPath(err.instancePath);
    const node = nodeAt(root, path) ?? root;
    let target: { offset: number; length: number } = node;
    let message: string;
    let fixes: Fix[] = [];
    const where = path.length ? `"${path.join('.')}"` : 'The config';
    switch (err.keyword) {
      case 'required': {
        const missing = String(err.params.missingProperty);
        target = path.length ? keyOf(node) : { offset: node.offset, length: 1 };
        message = `${where} is missing the required key "${missing}".`;
        break;
      }
      case 'additionalProperties': {
        const extra = String(err.params.additionalProperty);
        const child = findNodeAtLocation(node, [extra]);
        target = child ? keyOf(child) : node;
        message = `Unknown key "${extra}" in ${path.length ? `"${path.join('.')}"` : 'the config'}.`;
        break;
      }
      case 'enum': {
        const allowed = (err.params.allowedValues as unknown[]) ?? [];
        message = `${where} must be one of ${allowed.map(v => JSON.stringify(v)).join(', ')}; got ${describe(getNodeValue(node))}.`;
        fixes = allowed.map(v => ({ title: `Change to ${JSON.stringify(v)}`,
          edits: [{ range: lines.range(node.offset, node.length), newText: JSON.stringify(v) }] }));
        break;
      }
      case 'type':
        message = `${where} must be ${typeNames(err.params.type)}; got ${describe(getNodeValue(node))}.`;
        break;
      case 'pattern':
        message = path[path.length - 1] === 'qefficientVersion'
          ? `"qefficientVersion" must look like "1.22" or "1.22.8"; got ${describe(getNodeValue(node))}.`
          : `${where} does not match the pattern ${String(err.params.pattern)}.`;
        break;
      case 'minLength':
        message = `${where} must not be empty.`;
        break;
      default:
        message = `${where} ${err.message ?? 'is invalid'}.`;
    }
    const key = `${target.offset}:${target.length}:${err.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const [fix, ...more] = fixes;
    out.push({
      code: 'QEFF-SCHEMA', severity: 'error', message,
      range: lines.range(target.offset, target.length), offset: target.offset, length: target.length,
      ...(fix ? { fix } : {}), ...(more.length ? { moreFixes: more } : {}),
    });
  }
  return out;
}
