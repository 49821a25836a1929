// QEFF-CTX-01/02, CORES-01, DEV-01/02, LW-01, OPT-01/02, KVP-01: kwargs every stage shares.
import { compileInt, effectiveLengths, type StageView } from '../configView';
import { booleanValue, prop, props, stringValue } from '../jsonNodes';
import { compilerFlagName, KNOWN_COMPILE_KEYS, MISSPELLED_CB } from '../knownKeys';
import { levenshtein } from '../levenshtein';
import { DEFAULTS, MAX_NSP_CORES, MAX_POSITION_EMBEDDINGS } from '../model';
import type { RuleContext } from '../ruleContext';

function lengths(ctx: RuleContext, stage: StageView): void {
  const c = compileInt(stage, 'ctx_len');
  if (stage.key === 'prefill') {
    const { psl, ctx: ctxLen } = effectiveLengths(stage);
    if (ctxLen < psl && (!c.p || c.value !== undefined)) {
      ctx.report({
        code: 'QEFF-CTX-01', severity: 'error', node: c.p?.value ?? ctx.missingCompileKeyNode(stage), stage,
        message: `ctx_len ${ctxLen}${c.p ? '' : ' (the default)'} is less than prefill_seq_len ${psl}: the context must hold at least one prefill chunk.`,
      });
    }
  }
  if (c.value !== undefined && c.p?.value && c.value > MAX_POSITION_EMBEDDINGS) {
    ctx.report({
      code: 'QEFF-CTX-02', severity: 'warning', node: c.p.value, stage,
      message: `ctx_len ${c.value} exceeds GPT-OSS's max_position_embeddings (${MAX_POSITION_EMBEDDINGS}).`,
    });
  }
}

function cores(ctx: RuleContext, stage: StageView): void {
  const c = compileInt(stage, 'num_cores');
  if (c.value === undefined || !c.p?.value) return;
  if (c.value < 1) {
    ctx.report({ code: 'QEFF-CORES-01', severity: 'error', node: c.p.value, stage,
      message: `num_cores ${c.value} is not a core count: it must be at least 1.` });
  } else if (c.value > MAX_NSP_CORES) {
    ctx.report({ code: 'QEFF-CORES-01', severity: 'warning', node: c.p.value, stage,
      message: `num_cores ${c.value} is more than the 16 NSP cores a Cloud AI 100 SoC has.` });
  }
}

function devices(ctx: RuleContext, stage: StageView): void {
  const forbidden = prop(stage.compile, 'mdp_ts_num_devices');
  if (forbidden) {
    const hasNumDevices = !!prop(stage.compile, 'num_devices');
    ctx.report({
      code: 'QEFF-DEV-01', severity: 'error', node: forbidden.key, stage,
      message: 'mdp_ts_num_devices duplicates a keyword compile() already passes (num_devices): QEfficient raises "TypeError: got multiple values for keyword argument \'mdp_ts_num_devices\'". Use num_devices.',
      fixes: [hasNumDevices
        ? ctx.fix.remove('Remove "mdp_ts_num_devices" (num_devices is set)', forbidden)
        : ctx.fix.renameKey('Rename to "num_devices"', forbidden.key, 'num_devices')],
    });
  }
  const parts = compileInt(stage, 'mdp_num_partitions');
  if (parts.value !== undefined && parts.p?.value) {
    const n = compileInt(stage, 'num_devices').value ?? DEFAULTS.num_devices;
    if (parts.value < 1 || parts.value > n) {
      ctx.report({
        code: 'QEFF-DEV-02', severity: 'error', node: parts.p.value, stage,
        message: parts.value < 1
          ? `mdp_num_partitions ${parts.value}: QEfficient raises "Invalid number of partitions".`
          : `mdp_num_partitions ${parts.value} is more than num_devices ${n}: QEfficient raises "Num of partitions should be <= number of devices".`,
      });
    }
  }
}

function layerwise(ctx: RuleContext, stage: StageView): void {
  for (const obj of [stage.compile, stage.fromPretrained]) {
    const p = prop(obj, 'layerwise');
    if (p && booleanValue(p.value) === true) {
      ctx.report({
        code: 'QEFF-LW-01', severity: 'error', node: p.key, stage,
        message: 'layerwise=True is not supported for gpt_oss (QEfficient raises NotImplementedError).',
        fixes: [ctx.fix.remove('Remove "layerwise"', p)],
      });
    }
  }
}

const KNOWN = new Set(KNOWN_COMPILE_KEYS);

function unknownKeys(ctx: RuleContext, stage: StageView): void {
  for (const p of props(stage.compile)) {
    if (KNOWN.has(p.name) || p.name === MISSPELLED_CB) continue;
    const near = p.name.length >= 5 ? nearest(p.name) : [];
    if (near.length) {
      ctx.report({
        code: 'QEFF-OPT-01', severity: 'warning', node: p.key, stage,
        message: `Unknown compile kwarg "${p.name}": did you mean ${near.map(n => `"${n}"`).join(' or ')}? As written it goes to the compiler as ${compilerFlagName(p.name)}.`,
        fixes: near.map(n => ctx.fix.renameKey(`Rename to "${n}"`, p.key, n)),
      });
    } else {
      ctx.report({
        code: 'QEFF-OPT-02', severity: 'info', node: p.key, stage,
        message: `"${p.name}" is not a QEfficient kwarg: it is passed to the compiler as ${compilerFlagName(p.name)}${p.value?.type === 'boolean' ? '' : '=<value>'}, unchecked.`,
      });
    }
  }
}

/** Known keys at the smallest edit distance (1 or 2), case-sensitive. */
function nearest(name: string): string[] {
  let best = 3;
  let found: string[] = [];
  for (const k of KNOWN_COMPILE_KEYS) {
    const d = levenshtein(name, k, 2);
    if (d < best) { best = d; found = [k]; } else if (d === best) found.push(k);
  }
  return best <= 2 ? found : [];
}

function kvPrefix(ctx: RuleContext, stage: StageView): void {
  const p = prop(stage.compile, 'kv_cache_prefix');
  const s = stringValue(p?.value);
  if (s !== undefined && p?.value && !/^[A-Za-z0-9]+$/.test(s)) {
    ctx.report({
      code: 'QEFF-KVP-01', severity: 'error', node: p.value, stage,
      message: 'kv_cache_prefix must be a non-empty alphanumeric string (no ".", "_", "-" or whitespace): QEfficient raises ValueError.',
    });
  }
}

export function generalRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) {
    lengths(ctx, stage);
    cores(ctx, stage);
    devices(ctx, stage);
    layerwise(ctx, stage);
    unknownKeys(ctx, stage);
    kvPrefix(ctx, stage);
  }
}

