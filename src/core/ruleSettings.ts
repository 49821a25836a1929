// User-set severities per rule id (the `qeffDisagg.rules` setting, the CLI's --rule): "off" drops a rule's
// diagnostics, a severity replaces the registry's. Ids and values are checked against the registry, so a
// typo is reported, not silently ignored (as vscode-json-languageservice and ESLint treat their rule settings).
import { ruleInfo } from './ruleRegistry';
import type { Diagnostic, Severity } from './types';

export type RuleSetting = Severity | 'off';
export const RULE_SETTING_VALUES: readonly RuleSetting[] = ['off', 'error', 'warning', 'info', 'hint'];

/** Reads a `{ "QEFF-SUB-02": "off" }` object; entries that are not a known id with a known value are problems. */
export function readRuleSettings(value: unknown): { settings: Map<string, RuleSetting>; problems: string[] } {
  const settings = new Map<string, RuleSetting>();
  const problems: string[] = [];
  if (value === undefined || value === null) return { settings, problems };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return { settings, problems: ['the rule settings must be an object such as { "QEFF-SUB-02": "off" }'] };
  }
  for (const [id, v] of Object.entries(value as Record<string, unknown>)) {
    if (!ruleInfo(id)) problems.push(`"${id}" is not a rule id (see docs/rules.md)`);
    else if (typeof v !== 'string' || !(RULE_SETTING_VALUES as readonly string[]).includes(v)) {
      problems.push(`${id}: ${JSON.stringify(v)} is not one of ${RULE_SETTING_VALUES.join(', ')}`);
    } else settings.set(id, v as RuleSetting);
  }
  return { settings, problems };
}

/** The diagnostics as the user configured them: "off" ones dropped, the others at their set severity. */
export function applyRuleSettings<D extends Diagnostic>(diagnostics: D[], settings: ReadonlyMap<string, RuleSetting>): D[] {
  if (!settings.size) return diagnostics;
  const out: D[] = [];
  for (const d of diagnostics) {
    const s = settings.get(d.code);
    if (s === 'off') continue;
    out.push(s ? { ...d, severity: s } : d);
  }
  return out;
}
