// The whole check of one config text: parse -> schema -> rules -> "one fault, one diagnostic".
import type { Node } from 'jsonc-parser';
import { buildView } from './configView';
import { LineIndex } from './lineIndex';
import { parseDocument } from './parse';
import { RuleContext, type Rule, type RuleDiagnostic } from './ruleContext';
import { RULE_IDS, ruleInfo } from './ruleRegistry';
import { cclRules } from './rules/ccl';
import { continuousBatchingRules } from './rules/continuousBatching';
import { environmentRules } from './rules/environment';
import { execEnvRules } from './rules/execEnv';
import { compileKwargRules } from './rules/compileKwargs';
import { contextLengthRules } from './rules/contextLength';
import { hardwareRules } from './rules/hardware';
import { modeRules } from './rules/mode';
import { pairingRules } from './rules/pairing';
import { prefillBlockingRules } from './rules/prefillBlocking';
import { prefillChunkingRules } from './rules/prefillChunking';
import { pythonValueRules } from './rules/pythonValues';
import { misplacedKwargRules } from './rules/misplacedKwargs';
import { modelFamilyRules } from './rules/modelFamily';
import { subfunctionsNpiRules } from './rules/subfunctionsNpi';
import { servingRules } from './rules/serving';
import { servingQpcRules } from './rules/servingQpc';
import { schemaDiagnostics } from './schemaCheck';
import type { CheckOptions, Diagnostic } from './types';

const RULES: Rule[] = [
  modelFamilyRules, modeRules, continuousBatchingRules, prefillBlockingRules, prefillChunkingRules,
  environmentRules, misplacedKwargRules, subfunctionsNpiRules, pairingRules, contextLengthRules, hardwareRules,
  compileKwargRules, cclRules, pythonValueRules, execEnvRules,
  servingRules, servingQpcRules,
];

const MAX_PARSE_DIAGNOSTICS = 100;

export function checkText(text: string, options: CheckOptions = {}): Diagnostic[] {
  const lines = new LineIndex(text);
  const parsed = parseDocument(text);
  if (parsed.problems.length || !parsed.root) {
    return parsed.problems.slice(0, MAX_PARSE_DIAGNOSTICS).map(p => ({
      code: 'QEFF-JSON', severity: 'error' as const, message: p.message,
      range: lines.range(p.offset, p.length), offset: p.offset, length: p.length,
    }));
  }
  return checkTree(text, lines, parsed.root, options);
}

export function checkTree(text: string, lines: LineIndex, root: Node, options: CheckOptions): Diagnostic[] {
  const schema = schemaDiagnostics(root, lines);
  if (root.type !== 'object') return schema;
  const ctx = new RuleContext(text, lines, buildView(root, options), options.host);
  for (const rule of RULES) rule(ctx);
  const ruled = resolveOverlaps(ctx.diagnostics);
  // The schema and a rule on the same token: the rule has the better message and the fix.
  const taken = schema.length ? new Set(ruled.map(d => `${d.offset}:${d.length}`)) : undefined;
  const all: Diagnostic[] = [...schema.filter(d => !taken?.has(`${d.offset}:${d.length}`)), ...ruled.map(strip)];
  return all.sort((a, b) => a.offset - b.offset || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/** The codes some rule yields to: only their places need remembering. */
const WINNERS = new Set(RULE_IDS.flatMap(id => ruleInfo(id)?.yieldsAtSamePlace ?? []));

/** Where two rules claim the same fault, the registry names the winner (docs/rules.md, "One fault, one diagnostic"). */
function resolveOverlaps(diags: RuleDiagnostic[]): RuleDiagnostic[] {
  const places = new Set(diags.filter(d => WINNERS.has(d.code)).map(d => `${d.code}@${d.offset}:${d.length}`));
  if (!places.size) return diags;
  return diags.filter(d => !ruleInfo(d.code)?.yieldsAtSamePlace?.some(w => places.has(`${w}@${d.offset}:${d.length}`)));
}

function strip(d: RuleDiagnostic): Diagnostic {
  const { stage: _stage, ...rest } = d;
  return rest;
}
