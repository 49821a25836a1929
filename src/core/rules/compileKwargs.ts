// QEFF-CTX-01/02, CORES-01, DEV-01/02, LW-01, VER-01, OPT-01/02, KVP-01: kwargs every stage shares.
import { compileInt, effectiveLengths, type StageView } from '../configView';
import { booleanValue, prop, props, stringValue, type Prop } from '../jsonNodes';
import { compilerFlagName, KNOWN_COMPILE_KEYS, MISSPELLED_CB } from '../knownKeys';
import { levenshtein } from '../levenshtein';
import { DEFAULTS, MAX_NSP_CORES, MAX_POSITION_EMBEDDINGS } from '../model';
import type { RuleContext } from '../ruleContext';
import { ALL_VERSION_COMPILE_KEYS, compileTakes, versionFacts, versionsTaking, VERSION_TABLE } from '../versionTable';

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
  // DEV-02: mdp_num_partitions is a _compile kwarg since 1.22.0 (base/modeling_qeff.py); before, VER-01 says
  // it is a compiler flag. _compile runs the MDP generator, which raises, only when it is > 1.
  const parts = compileInt(stage, 'mdp_num_partitions');
  if (parts.value !== undefined && parts.p?.value && compileTakes(ctx.view.version, 'mdp_num_partitions')) {
    const n = compileInt(stage, 'num_devices').value ?? DEFAULTS.num_devices;
    if (parts.value < 1) {
      ctx.report({
        code: 'QEFF-DEV-02', severity: 'warning', node: parts.p.value, stage,
        message: `mdp_num_partitions ${parts.value} is ignored: QEfficient builds a pipeline partition config only when mdp_num_partitions > 1, so this compiles unpartitioned (the generator's "Invalid number of partitions" check is never reached).`,
      });
    } else if (parts.value > 1 && parts.value > n) {
      ctx.report({
        code: 'QEFF-DEV-02', severity: 'error', node: parts.p.value, stage,
        message: `mdp_num_partitions ${parts.value} is more than num_devices ${n}: QEfficient raises "Num of partitions should be <= number of devices".`,
      });
    }
  }
}

function layerwise(ctx: RuleContext, stage: StageView): void {
  // layerwise exists since 1.22.0 (modeling_auto.py); on 1.21 it is a compiler flag (VER-01) or a Hugging Face kwarg.
  const facts = versionFacts(ctx.view.version);
  for (const obj of [facts.compile.includes('layerwise') ? stage.compile : undefined, facts.fromPretrained.includes('layerwise') ? stage.fromPretrained : undefined]) {
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
  const v = ctx.view.version;
  for (const p of props(stage.compile)) {
    if (p.name === MISSPELLED_CB) continue;
    if (ALL_VERSION_COMPILE_KEYS.includes(p.name)) {
      if (!compileTakes(v, p.name)) versionGated(ctx, stage, p);
      continue;
    }
    if (KNOWN.has(p.name)) continue;
    const near = p.name.length >= 5 ? nearest(p.name) : [];
    if (near.length) {
      ctx.report({
        code: 'QEFF-OPT-01', node: p.key, stage,
        message: `Unknown compile kwarg "${p.name}": did you mean ${near.map(n => `"${n}"`).join(' or ')}? As written it goes to the compiler as ${compilerFlagName(p.name)}.`,
        fixes: near.map(n => ctx.fix.renameKey(`Rename to "${n}"`, p.key, n)),
      });
    } else {
      ctx.report({
        code: 'QEFF-OPT-02', node: p.key, stage,
        message: `"${p.name}" is not a QEfficient kwarg: it is passed to the compiler as ${flagText(p)}, unchecked.`,
      });
    }
  }
}

function flagText(p: Prop): string {
  return `${compilerFlagName(p.name)}${p.value?.type === 'boolean' ? '' : '=<value>'}`;
}

/** VER-01: a kwarg of other QEfficient versions that the target's compile() and _compile() do not take. */
function versionGated(ctx: RuleContext, stage: StageView, p: Prop): void {
  const facts = versionFacts(ctx.view.version);
  const target = ctx.view.version ? `QEfficient ${ctx.view.version.text}` : 'the latest QEfficient';
  ctx.report({
    code: 'QEFF-VER-01', node: p.key, stage,
    message: `${target} (${facts.branch}) has no "${p.name}" in compile() and its _compile() does not consume it: it falls into **compiler_options and reaches the compiler as ${flagText(p)}. It is a keyword on ${versionsTaking(p.name).map(k => VERSION_TABLE[k].branch).join(', ')}.`,
    fixes: [ctx.fix.remove(`Remove "${p.name}"`, p)],
  });
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

