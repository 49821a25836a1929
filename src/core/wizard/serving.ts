// The wizard's optional Serving step: the config's "serving" section (how qaic_disagg launches the pair),
// as text fields the user types, their defaults (device groups follow each stage's num_devices, the ports
// are qaic_disagg's) and the JSON values written. The core's QEFF-SRV rules check what is written.
import { DEFAULT_API_PORT, DEFAULT_STAGE_PORT } from '../serving/servingFacts';
import type { StageKey } from '../types';

/** The fields, named by their path under "serving". */
export const SERVING_FIELDS = [
  'port', 'prefill.deviceGroups', 'prefill.ports', 'prefill.maxNumSeqs', 'decode.deviceGroups', 'decode.ports',
  'decode.maxNumSeqs', 'runtime', 'image',
] as const;
export type ServingField = typeof SERVING_FIELDS[number];

export interface ServingState {
  /** Write a "serving" section (only with both stages: it launches the pair). */
  enabled: boolean;
  /** As typed: device groups "0, 1; 2, 3" (one group per instance), ports "9900, 9901"; '' = not written. */
  values: Record<ServingField, string>;
  /** Fields the user set (or the loaded file holds): they no longer follow their defaults. */
  touched: ServingField[];
}

export type ServingValue = string | number | number[] | number[][];

export function isServingField(name: string): name is ServingField {
  return (SERVING_FIELDS as readonly string[]).includes(name);
}

export function emptyServing(): ServingState {
  return { enabled: false, values: Object.fromEntries(SERVING_FIELDS.map(f => [f, ''])) as Record<ServingField, string>, touched: [] };
}

function count(text: string): number {
  return /^\s*\d+\s*$/.test(text) && Number(text) > 0 ? Number(text) : 1;
}

function ids(from: number, n: number): string {
  return Array.from({ length: n }, (_, i) => String(from + i)).join(', ');
}

/** Defaults: one instance per stage on its own devices (prefill first), qaic_disagg's ports, the bare runtime. */
export function servingDefaults(numDevices: Record<StageKey, string>): Record<ServingField, string> {
  const p = count(numDevices.prefill);
  return {
    'port': String(DEFAULT_API_PORT),
    'prefill.deviceGroups': ids(0, p), 'prefill.ports': String(DEFAULT_STAGE_PORT.prefill), 'prefill.maxNumSeqs': '',
    'decode.deviceGroups': ids(p, count(numDevices.decode)), 'decode.ports': String(DEFAULT_STAGE_PORT.decode), 'decode.maxNumSeqs': '',
    'runtime': 'bare', 'image': '',
  };
}

const INT = /^-?\d+$/;

/** "0, 1; 2, 3" -> [[0, 1], [2, 3]]; anything that is not integers is written as typed (the schema says why). */
function jsonOf(field: ServingField, text: string): ServingValue | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const list = (s: string) => s.split(',').map(x => x.trim());
  if (field.endsWith('.deviceGroups')) {
    const groups = t.split(';').map(list);
    return groups.every(g => g.every(x => INT.test(x))) ? groups.map(g => g.map(Number)) : t;
  }
  if (field.endsWith('.ports')) return list(t).every(x => INT.test(x)) ? list(t).map(Number) : t;
  if (field === 'runtime' || field === 'image') return t;
  return INT.test(t) ? Number(t) : t;
}

/** The values written under "serving", by field; the runtime and its image only for docker. */
export function servingValues(s: ServingState): Partial<Record<ServingField, ServingValue>> {
  const out: Partial<Record<ServingField, ServingValue>> = {};
  const docker = s.values.runtime === 'docker';
  for (const f of SERVING_FIELDS) {
    if ((f === 'runtime' || f === 'image') && !docker) continue;
    const v = jsonOf(f, s.values[f]);
    if (v !== undefined) out[f] = v;
  }
  return out;
}

/** A value of a loaded file as the field shows it ([[0, 1], [2, 3]] -> "0, 1; 2, 3"). */
export function servingText(value: unknown): string | undefined {
  if (typeof value === 'string' || typeof value === 'number') return String(value);
  if (Array.isArray(value) && value.every(v => typeof v === 'number')) return value.join(', ');
  if (Array.isArray(value) && value.every(g => Array.isArray(g) && g.every(v => typeof v === 'number'))) return value.map(g => (g as number[]).join(', ')).join('; ');
  return undefined;
}
