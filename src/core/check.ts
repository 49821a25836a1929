// The whole check of one config text: parse -> schema -> rules -> "one fault, one diagnostic".
import type { Node } from 'jsonc-parser';
import { buildView } from './configView';
import { LineIndex } from './lineIndex';
import { parseDocument } from './parse';
import { RuleContext, type Rule, type RuleDiagnostic } from './ruleContext';
import { continuousBatchingRules } from './rules/continuousBatching';
import { decodeRules } from './rules/decode';
import { environmentRules } from './rules/environment';
import { execEnvRules } from './rules/execEnv';
import { generalRules } from './rules/general';
import { modeRules } from './rules/mode';
import { pairingRules } from './rules/pairing';
import { prefillBlockingRules } from './rules/prefillBlocking';
import { prefillChunkingRules } from './rules/prefillChunking';
import { pythonValueRules } from './rules/pythonValues';
import { structureRules } from './rules/structure';
import { subfunctionsNpiRules } from './rules/subfunctionsNpi';
import { schemaDiagnostics } from './schemaCheck';
import type { CheckOptions, Diagnostic } from './types';

const RULES: Rule[] = [
  structureRules, modeRules, continuousBatchingRules, prefillBlockingRules, prefillChunkingRules,
  environmentRules, decodeRules, subfunctionsNpiRules, pairingRules, generalRules,
  pythonValueRules, execEnvRules,
];

/** Where two rules claim the same fault, the first wins (config-rules.md, "One fault, one diagnostic"). */
const SAME_PLACE: [winner: string, loser: string][] = [
  ['QEFF-MODE-01', 'QEFF-PB-01'],
  ['QEFF-CTX-01', 'QEFF-PC-01'],
  ['QEFF-CTX-01', 'QEFF-PB-03'],
  ['QEFF-CORES-01', 'QEFF-PC-02'],
  ['QEFF-PB-06', 'QEFF-ENV-02'],
  ['QEFF-PY-01', 'QEFF-ENV-02'],
];
const SAME_STAGE: [winner: string, loser: string][] = [['QEFF-PB-02', 'QEFF-CB-01']];

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
  const taken = new Set(ruled.map(d => `${d.offset}:${d.length}`));
  const all: Diagnostic[] = [...schema.filter(d => !taken.has(`${d.offset}:${d.length}`)), ...ruled.map(strip)];
  return all.sort((a, b) => a.offset - b.offset || a.code.localeCompare(b.code));
}

function resolveOverlaps(diags: RuleDiagnostic[]): RuleDiagnostic[] {
  const at = (d: RuleDiagnostic) => `${d.code}@${d.offset}:${d.length}`;
  const inStage = (d: RuleDiagnostic) => `${d.code}@${d.stage ?? ''}`;
  const places = new Set(diags.map(at));
  const stages = new Set(diags.map(inStage));
  return diags.filter(d =>
    !SAME_PLACE.some(([w, l]) => d.code === l && places.has(`${w}@${d.offset}:${d.length}`))
    && !SAME_STAGE.some(([w, l]) => d.code === l && stages.has(`${w}@${d.stage ?? ''}`)));
}

function strip(d: RuleDiagnostic): Diagnostic {
  const { stage: _stage, ...rest } = d;
  return rest;
}
