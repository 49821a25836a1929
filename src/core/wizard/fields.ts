// Which wizard field a diagnostic of the core concerns: the JSON path of the node at the diagnostic's offset
// (jsonc-parser findNodeAtOffset + getNodePath) names the field; a missing key, which the core reports on
// the enclosing key (e.g. "compile"), is placed by the rule registry's missingField.
import { findNodeAtOffset, getNodePath, type Node } from 'jsonc-parser';
import { parseDocument } from '../parse';
import { ruleInfo } from '../ruleRegistry';
import type { Diagnostic, StageKey } from '../types';
import { isServingField } from './serving';
import { isParamName, paramLocation } from './state';

function isStage(s: unknown): s is StageKey {
  return s === 'prefill' || s === 'decode';
}

/** The field id ("model", "decode.mode", "prefill.compile.ctx_len", ...) of a diagnostic, or undefined. */
export function fieldOfPath(path: (string | number)[], code: string): string | undefined {
  const [first, second, third] = path;
  if (path.length === 0) return 'model'; // a missing "model" is reported on the document's "{"
  if (first === 'model') return code === 'QEFF-MODEL-01' ? 'family' : 'model';
  if (first === 'family' || first === 'qefficientVersion') return first;
  if (first === 'serving') return servingFieldOfPath(path);
  if (!isStage(first)) return undefined;
  if (path.length === 1 || (path.length === 2 && (second === 'compile' || second === 'from_pretrained' || second === 'env'))) {
    const missing = ruleInfo(code)?.missingField;
    if (missing) return `${first}.${missing}`;
    return path.length === 1 ? `${first}.mode` : undefined;
  }
  if (second === 'mode') return `${first}.mode`;
  // A wizard parameter where the wizard writes it ("compile.ctx_len", "env.NUM_Q_BLOCKS", ...).
  if (typeof third === 'string' && isParamName(third) && paramLocation(third) === `${String(second)}.${third}`) return `${first}.${second}.${third}`;
  return undefined;
}

/** "serving" itself, one of its fields, or (on a stage key: its default port) that stage's ports. */
function servingFieldOfPath(path: (string | number)[]): string | undefined {
  const [, second, third] = path;
  if (path.length === 1) return 'serving';
  if (second === 'prefill' || second === 'decode') {
    const name = path.length === 2 ? `${second}.ports` : `${second}.${String(third)}`;
    return isServingField(name) ? `serving.${name}` : undefined;
  }
  return isServingField(String(second)) ? `serving.${String(second)}` : undefined;
}

/** The JSON path of the node a diagnostic starts at. */
export function pathAtOffset(root: Node, offset: number): (string | number)[] {
  const node = findNodeAtOffset(root, offset, false);
  return node ? getNodePath(node) : [];
}

export interface MappedDiagnostics {
  /** Field id -> its diagnostics, in document order. */
  byField: Record<string, Diagnostic[]>;
  /** Diagnostics no wizard field concerns (e.g. an unknown compile key in an edited file), with their path. */
  general: { diagnostic: Diagnostic; path: string }[];
  errors: number;
  warnings: number;
}

export function mapDiagnostics(text: string, diagnostics: Diagnostic[]): MappedDiagnostics {
  const { root } = parseDocument(text);
  const out: MappedDiagnostics = { byField: {}, general: [], errors: 0, warnings: 0 };
  for (const d of diagnostics) {
    if (d.severity === 'error') out.errors++;
    else if (d.severity === 'warning') out.warnings++;
    const path = root ? pathAtOffset(root, d.offset) : [];
    const field = root ? fieldOfPath(path, d.code) : undefined;
    if (field) (out.byField[field] ??= []).push(d);
    else out.general.push({ diagnostic: d, path: path.join('.') });
  }
  return out;
}
