// The rule registry: one entry per diagnostic code. Everything that needs a fact about a rule (its default
// severity, its docs anchor, its editor tags, which rule wins where two report one fault, which wizard field
// supplies a kwarg it reports as missing) reads it here. docs/rules.md is held against this table both ways by
// test/unit/rules.test.ts, so a rule cannot ship undocumented.
//
// Adding a rule is one entry here (plus its section in docs/rules.md and its cases in test/unit/ruleCases.ts);
// the rule module itself goes into src/core/rules/ and is listed in check.ts's RULES.
import type { Severity } from './types';

export interface RuleInfo {
  /** Every severity the rule may report, the default first. */
  severities: readonly [Severity, ...Severity[]];
  /** The catalog promises a quick fix: every firing case must offer one (test/unit/rules.test.ts). */
  fix?: boolean;
  /** Shown faded in the editor (DiagnosticTag.Unnecessary): the reported text can simply go. */
  unnecessary?: boolean;
  /** Codes whose diagnostic at the same offset and length suppresses this one ("one fault, one diagnostic"). */
  yieldsAtSamePlace?: readonly string[];
  /** A rule that reports a missing kwarg on the enclosing "compile" key: the wizard field that supplies it. */
  missingField?: string;
}

const ERROR_ONLY = { severities: ['error'] } as const;

/** In catalog order (docs/rules.md). */
export const RULES = {
  'QEFF-JSON': { severities: ['error'] },
  'QEFF-SCHEMA': { severities: ['error'], fix: true },
  'QEFF-MODEL-01': { severities: ['warning'], fix: true },
  'QEFF-MODE-01': { severities: ['error'], fix: true },
  'QEFF-MODE-02': { severities: ['hint'], fix: true, unnecessary: true },
  'QEFF-MODE-03': { severities: ['error'], fix: true },
  'QEFF-CB-01': { severities: ['warning'], fix: true },
  'QEFF-CB-02': { severities: ['error'], fix: true, missingField: 'compile.full_batch_size' },
  'QEFF-CB-03': { severities: ['error'], fix: true, missingField: 'compile.kv_cache_batch_size' },
  'QEFF-CB-04': { severities: ['warning'] },
  'QEFF-CB-05': { severities: ['error'], fix: true },
  'QEFF-CB-06': { severities: ['warning'], fix: true },
  'QEFF-PB-01': { severities: ['error'], fix: true, yieldsAtSamePlace: ['QEFF-MODE-01'], missingField: 'compile.prefill_seq_len' },
  'QEFF-PB-02': { severities: ['error'], fix: true },
  'QEFF-PB-03': { severities: ['warning'], fix: true, yieldsAtSamePlace: ['QEFF-CTX-01'] },
  'QEFF-PB-04': { severities: ['error'] },
  'QEFF-PB-05': { severities: ['error'] },
  'QEFF-PB-06': { severities: ['error'], fix: true },
  'QEFF-PB-07': { severities: ['warning'], fix: true },
  'QEFF-PB-08': { severities: ['warning'], fix: true },
  'QEFF-PC-01': { severities: ['warning'], yieldsAtSamePlace: ['QEFF-CTX-01'], missingField: 'compile.ctx_len' },
  'QEFF-PC-02': { severities: ['error'], fix: true, yieldsAtSamePlace: ['QEFF-CORES-01'] },
  'QEFF-ENV-01': { severities: ['warning'], fix: true },
  'QEFF-ENV-02': { severities: ['error'], yieldsAtSamePlace: ['QEFF-PB-06', 'QEFF-PY-01'] },
  'QEFF-DEC-01': { severities: ['warning', 'error'], fix: true },
  'QEFF-DEC-02': { severities: ['warning'], fix: true },
  'QEFF-SUB-01': { severities: ['warning'], fix: true, missingField: 'compile.use_onnx_subfunctions' },
  'QEFF-SUB-02': { severities: ['info'] },
  'QEFF-NPI-01': { severities: ['error'], fix: true, missingField: 'compile.node_precision_info' },
  'QEFF-NPI-02': { severities: ['error'], fix: true },
  'QEFF-NPI-03': { severities: ['warning'] },
  'QEFF-PAIR-01': { severities: ['warning'], fix: true },
  'QEFF-PAIR-02': { severities: ['warning'], missingField: 'compile.ctx_len', yieldsAtSamePlace: ['QEFF-SRV-05'] },
  'QEFF-PAIR-03': { severities: ['warning'], missingField: 'compile.mxint8_kv_cache', yieldsAtSamePlace: ['QEFF-SRV-07'] },
  'QEFF-CTX-01': { severities: ['error'], missingField: 'compile.ctx_len' },
  'QEFF-CTX-02': { severities: ['warning'] },
  'QEFF-CORES-01': { severities: ['error', 'warning'] },
  'QEFF-DEV-01': { severities: ['error'], fix: true },
  'QEFF-DEV-02': { severities: ['error', 'warning'] },
  'QEFF-LW-01': { severities: ['error'], fix: true },
  'QEFF-VER-01': { severities: ['warning'], fix: true },
  'QEFF-OPT-01': { severities: ['warning'], fix: true },
  'QEFF-OPT-02': { severities: ['info'] },
  'QEFF-KVP-01': { severities: ['error'] },
  'QEFF-CCL-01': { severities: ['warning'] },
  'QEFF-PY-01': { severities: ['error'] },
  'QEFF-PY-02': { severities: ['error'], fix: true },
  'QEFF-PY-03': { severities: ['error'] },
  'QEFF-PY-04': { severities: ['error'] },
  'QEFF-EXEC-01': { severities: ['warning'], fix: true },
  // QEFF-SRV-01..13: qaic_disagg refuses the command or the pair fails at start; none has a fix.
  'QEFF-SRV-01': ERROR_ONLY, 'QEFF-SRV-02': ERROR_ONLY, 'QEFF-SRV-03': ERROR_ONLY, 'QEFF-SRV-04': ERROR_ONLY,
  'QEFF-SRV-05': ERROR_ONLY, 'QEFF-SRV-06': ERROR_ONLY, 'QEFF-SRV-07': ERROR_ONLY, 'QEFF-SRV-08': ERROR_ONLY,
  'QEFF-SRV-09': ERROR_ONLY, 'QEFF-SRV-10': ERROR_ONLY, 'QEFF-SRV-11': ERROR_ONLY, 'QEFF-SRV-12': ERROR_ONLY,
  'QEFF-SRV-13': ERROR_ONLY,
  'QEFF-SRV-14': { severities: ['error', 'warning'] },
  'QEFF-SRV-15': { severities: ['warning'] },
  'QEFF-SRV-16': { severities: ['error'] },
} as const satisfies Record<string, RuleInfo>;

export type RuleId = keyof typeof RULES;
export const RULE_IDS = Object.keys(RULES) as RuleId[];

export function ruleInfo(id: string): RuleInfo | undefined {
  return Object.prototype.hasOwnProperty.call(RULES, id) ? (RULES as Record<string, RuleInfo>)[id] : undefined;
}

/** The anchor of the rule's section in docs/rules.md ("### QEFF-CB-01" -> "#qeff-cb-01"). */
export function docsAnchor(id: string): string {
  return id.toLowerCase();
}

export function defaultSeverity(id: RuleId): Severity {
  return RULES[id].severities[0];
}
