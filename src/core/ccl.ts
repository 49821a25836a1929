// Compute-context-length (CCL) lists as QEfficient rewrites them before compiling. Follows
// QEfficient/utils/check_ccl_specializations.py (identical on release/v1.21.6, release/v1.22.0,
// release/v1.22.8.0 and main) and its caller QEFFAutoModelForCausalLM.compile (modeling_auto.py): CCL is on
// with qaic_config.ccl_enabled or when either list is given; the stage then compiles one specialization per
// value of the decode list when prefill_seq_len is 1, else of the prefill list.
import { getNodeValue } from 'jsonc-parser';
import { effectiveLengths, type StageView } from './configView';
import { prop, type Prop } from './jsonNodes';

// QEfficient/utils/constants.py (same on all four branches).
const CCL_MIN_CTX_LEN = 1024;
const CCL_START_CTX_LEN = 4096;
const CCL_MAX_ELEMENTS_LISTS = 5;
const CCL_UNIQUE_STEP = 32; // spelled CCL_UNIQNE_STEP upstream
const CCL_START_MAP: [upper: number, decodeStart: number, prefillStart: number][] = [
  [32768, 4096, 4000], [65536, 8192, 8000], [Infinity, 16384, 16000],
];

export interface CclLists { prefill: number[] | undefined; decode: number[] | undefined; ctxLen: number }

function ceil1024(n: number): number { return n <= 0 ? 0 : Math.ceil(n / 1024) * 1024; }
function floor1000(n: number): number { return n <= 0 ? 0 : Math.floor(n / 1000) * 1000; }
function isPowerOfTwo(n: number): boolean { return n > 0 && (n & (n - 1)) === 0; }

function doublingList(start: number, limit: number, maxElements: number, lastValue?: number): number[] {
  const values: number[] = [];
  if (maxElements <= 0 || start <= 0 || limit <= 0) return values;
  for (let e = start; e <= limit && values.length < maxElements; e *= 2) values.push(e);
  if (lastValue !== undefined && values[values.length - 1] !== lastValue) {
    if (values.length < maxElements) values.push(lastValue);
    else values[values.length - 1] = lastValue;
  }
  return values.slice(0, maxElements);
}

/** automatic_ccl_generation: the lists QEfficient makes when CCL is enabled and neither list is given. */
function automatic(ctxLen: number, psl: number): CclLists {
  if (ctxLen <= 0) return { prefill: [1024], decode: [1024], ctxLen: 1024 };
  const mapped = ceil1024(ctxLen);
  if (mapped <= CCL_START_CTX_LEN) return { prefill: [mapped], decode: [mapped], ctxLen: mapped };
  const [, decodeStart, prefillStart] = CCL_START_MAP.find(([upper]) => mapped <= upper)!;
  if (psl > 1) {
    const decode = doublingList(decodeStart, mapped, CCL_MAX_ELEMENTS_LISTS, mapped);
    const prefill = isPowerOfTwo(mapped)
      ? doublingList(prefillStart, mapped, CCL_MAX_ELEMENTS_LISTS)
      : doublingList(prefillStart, mapped, CCL_MAX_ELEMENTS_LISTS, floor1000(mapped));
    prefill[prefill.length - 1] = mapped;
    return { prefill, decode, ctxLen: mapped };
  }
  const maxElems = 2 * CCL_MAX_ELEMENTS_LISTS;
  const limit = Math.min(mapped, CCL_START_CTX_LEN * 2 ** (maxElems - 1));
  const seq = doublingList(CCL_START_CTX_LEN, limit, maxElems, mapped);
  return { prefill: seq, decode: [...seq], ctxLen: mapped };
}

const sortedUnique = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);

/** validate_ccl_lists. */
function validate(prefill: number[] | undefined, decode: number[] | undefined, ctxLen: number, psl: number): [number[] | undefined, number[] | undefined] {
  const raise = (xs: number[] | undefined) => {
    if (!xs?.length) return xs;
    const out = xs.map(x => (x >= CCL_MIN_CTX_LEN ? x : CCL_MIN_CTX_LEN));
    if (out[out.length - 1] < ctxLen) out.push(ctxLen);
    return out;
  };
  let p = raise(prefill);
  let d = raise(decode);
  if (psl === 1) {
    const union = sortedUnique([...(p ?? []), ...(d ?? [])].map(x => Math.min(x, ctxLen)));
    return [union, [...union]];
  }
  if (p?.length) p = sortedUnique(p.map(x => Math.min(x, ctxLen)));
  if (d?.length) d = sortedUnique(d.map(x => Math.min(x, ctxLen)));
  if (p?.length && d?.length) {
    // Prefill values shared with decode move down to the next multiple of 32 below (the compiler needs them distinct).
    const shifted: number[] = [];
    for (let val of p) {
      while (d.includes(val) || shifted.includes(val)) {
        const next = Math.floor((val - 1) / CCL_UNIQUE_STEP) * CCL_UNIQUE_STEP;
        // Beyond 2^53 a double cannot step down by 32 (val - 1 === val): Python's ints can, ours give up
        // (QEFF-PY-01 reports such a number anyway).
        if (next >= val) { val = -1; break; }
        val = next;
        if (val < 0) break;
      }
      if (val >= 0) shifted.push(val);
    }
    p = shifted.sort((a, b) => a - b);
  }
  return [p, d];
}

/** process_ccl_specializations. Empty lists count as absent, as in Python. */
export function processCcl(prefill: number[] | undefined, decode: number[] | undefined, ctxLen: number, psl: number, enableChunking: boolean): CclLists {
  let p = prefill?.length ? [...prefill] : undefined;
  let d = decode?.length ? [...decode] : undefined;
  if (!p && !d) {
    const auto = automatic(ctxLen, psl);
    [p, d] = [auto.prefill, auto.decode];
    ctxLen = auto.ctxLen;
  } else if (!p || (!d && !enableChunking)) {
    p ??= [ctxLen];
    d ??= [ctxLen];
  }
  const [vp, vd] = validate(p, d, ctxLen, psl);
  return { prefill: vp, decode: vd, ctxLen };
}

export interface StageCcl {
  /** The list this stage compiles with (one specialization per value). */
  effective: number[];
  /** ctx_len after CCL (automatic generation rounds it up to a multiple of 1024). */
  ctxLen: number;
  /** The written list this stage uses, when written. */
  written: number[] | undefined;
  /** Its property, else the other list's, else qaic_config.ccl_enabled: where a rewrite is reported. */
  anchor: Prop | undefined;
  usedName: 'comp_ctx_lengths_prefill' | 'comp_ctx_lengths_decode';
}

function intList(p: Prop | undefined): number[] | undefined | null {
  if (!p?.value || p.value.type === 'null') return undefined;
  if (p.value.type !== 'array') return null; // a string is literal_eval'ed upstream: not modelled here
  const v = getNodeValue(p.value) as unknown[];
  return v.every(x => Number.isSafeInteger(x)) ? (v as number[]) : null;
}

/** The stage's CCL as QEfficient compiles it; undefined when CCL is off or a list is not a list of integers. */
export function stageCcl(stage: StageView): StageCcl | undefined {
  const pp = prop(stage.compile, 'comp_ctx_lengths_prefill');
  const dp = prop(stage.compile, 'comp_ctx_lengths_decode');
  const prefill = intList(pp);
  const decode = intList(dp);
  if (prefill === null || decode === null) return undefined;
  const qaic = prop(stage.fromPretrained, 'qaic_config')?.value;
  const enabledProp = prop(qaic?.type === 'object' ? qaic : undefined, 'ccl_enabled');
  const enabled = enabledProp?.value?.value === true;
  if (!enabled && !pp && !dp) return undefined;
  const { psl, ctx } = effectiveLengths(stage);
  const lists = processCcl(prefill, decode, ctx, psl, stage.mode === 'chunking');
  const usesDecode = psl === 1;
  const usedName = usesDecode ? 'comp_ctx_lengths_decode' : 'comp_ctx_lengths_prefill';
  const usedProp = usesDecode ? dp : pp;
  return {
    effective: (usesDecode ? lists.decode : lists.prefill) ?? [],
    ctxLen: lists.ctxLen,
    written: usesDecode ? decode : prefill,
    anchor: usedProp ?? (usesDecode ? pp : dp) ?? enabledProp,
    usedName,
  };
}
