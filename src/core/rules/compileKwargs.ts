// QEFF-VER-01, OPT-01/02 (compile kwarg names: of another version, misspelled, unknown) and KVP-01, LW-01
// (kwarg values QEfficient refuses), in every stage.
import type { StageView } from '../configView';
import { booleanValue, prop, props, stringValue, type Prop } from '../jsonNodes';
import { compilerFlagName, KNOWN_COMPILE_KEYS, MISSPELLED_CB } from '../knownKeys';
import { charMask, levenshtein, maskBound } from '../levenshtein';
import type { RuleContext } from '../ruleContext';
import { ALL_VERSION_COMPILE_KEYS, compileTakes, versionFacts, versionsTaking, VERSION_TABLE } from '../versionTable';

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
const OF_SOME_VERSION = new Set(ALL_VERSION_COMPILE_KEYS);

function unknownKeys(ctx: RuleContext, stage: StageView): void {
  const v = ctx.view.version;
  for (const p of props(stage.compile)) {
    if (p.name === MISSPELLED_CB) continue;
    if (OF_SOME_VERSION.has(p.name)) {
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

/**
 * Per name length, the known keys (in catalog order) no more than 2 longer or shorter, the only ones within
 * distance 2, each with its character set for a cheap first bound.
 */
const CANDIDATES = new Map<number, readonly { key: string; mask: [number, number] }[]>();
function candidates(length: number): readonly { key: string; mask: [number, number] }[] {
  let list = CANDIDATES.get(length);
  if (!list) {
    list = KNOWN_COMPILE_KEYS.filter(k => Math.abs(k.length - length) <= 2).map(key => ({ key, mask: charMask(key) }));
    CANDIDATES.set(length, list);
  }
  return list;
}

/** Known keys at the smallest edit distance (1 or 2), case-sensitive, in catalog order. */
function nearest(name: string): string[] {
  let best = 3;
  let found: string[] = [];
  const mask = charMask(name);
  for (const { key, mask: keyMask } of candidates(name.length)) {
    if (maskBound(mask, keyMask) > 2) continue;
    const d = levenshtein(name, key, 2);
    if (d < best) { best = d; found = [key]; } else if (d === best) found.push(key);
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

export function compileKwargRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) {
    layerwise(ctx, stage);
    unknownKeys(ctx, stage);
    kvPrefix(ctx, stage);
  }
}

