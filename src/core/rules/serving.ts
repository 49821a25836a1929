// QEFF-SRV-01..10: the "serving" section against itself and against the two stages it serves. qaic_disagg's own
// start-up checks (validate_parsed_args: ports, groups, disjoint QIDs) are mirrored here so they fail in the
// editor instead of after minutes of device activation (inferred from an older launcher copy: src/core/serving/servingFacts.ts).
import { compileBool, compileInt, effectiveLengths, type StageView } from '../configView';
import { prop } from '../jsonNodes';
import { DEFAULTS } from '../model';
import type { RuleContext } from '../ruleContext';
import { DEFAULT_API_PORT, DEFAULT_STAGE_PORT, derivedFlagOf, OVERRIDE_UNSAFE } from '../serving/servingFacts';
import { servingView, type NumberAt, type ServingStageView, type ServingView } from '../serving/servingView';
import type { StageKey } from '../types';

export function servingRules(ctx: RuleContext): void {
  const sv = servingView(ctx.view.root);
  if (!sv) return;
  const stage = (k: StageKey) => ctx.view.stages.find(s => s.key === k && s.mode);
  const prefill = stage('prefill');
  const decode = stage('decode');
  if (!prefill || !decode) {
    ctx.report({ code: 'QEFF-SRV-10', node: sv.prop.key,
      message: `"serving" launches a prefill and a decode QPC: the config needs both a "prefill" and a "decode" stage with a valid mode (missing: ${[!prefill && 'prefill', !decode && 'decode'].filter(Boolean).join(' and ')}).` });
  }
  ports(ctx, sv);
  counts(ctx, sv);
  devices(ctx, sv, { prefill, decode });
  for (const s of Object.values(sv.stages)) {
    if (s.qpc && OVERRIDE_UNSAFE.test(s.qpc.value)) {
      ctx.report({ code: 'QEFF-SRV-08', node: s.qpc.node,
        message: `The ${s.key} QPC path contains ":", "=" or white space: qaic_disagg splits --${s.key}-override-qaic-config on them, so "qpc_path" would be cut. Move or link the QPC folder to a path without them.` });
    }
  }
  for (const a of sv.extraArgs) {
    const flag = derivedFlagOf(a.value);
    if (flag) ctx.report({ code: 'QEFF-SRV-09', node: a.node,
      message: `extraArgs sets ${flag}, which the launch command already derives from the config (argparse keeps the last value, so the QPCs and the runtime would disagree). Change the config value it comes from instead.` });
  }
  if (prefill && decode) shapes(ctx, sv, prefill, decode);
}

function ports(ctx: RuleContext, sv: ServingView): void {
  const all: { at: NumberAt; what: string }[] = [];
  all.push({ at: sv.port ?? { value: DEFAULT_API_PORT, node: sv.prop.key }, what: sv.port ? 'the API port' : 'the default API port' });
  if (sv.kvHandoffPort) all.push({ at: sv.kvHandoffPort, what: 'the KV handoff port' });
  for (const s of Object.values(sv.stages)) {
    s.ports.forEach((at, i) => all.push({ at, what: `${s.key} port ${i + 1}` }));
    // No "ports": the launch uses the default port of the stage (reported on the stage key).
    if (!s.portsProp) all.push({ at: { value: DEFAULT_STAGE_PORT[s.key], node: s.prop.key }, what: `the default ${s.key} port` });
  }
  const seen = new Map<number, string>();
  for (const { at, what } of all) {
    if (at.value < 1 || at.value > 65535) {
      ctx.report({ code: 'QEFF-SRV-01', node: at.node, message: `${cap(what)} ${at.value} is not a TCP port (1 to 65535).` });
      continue;
    }
    const first = seen.get(at.value);
    if (first) ctx.report({ code: 'QEFF-SRV-01', node: at.node, message: `${cap(what)} ${at.value} is also ${first}: qaic_disagg refuses ports that are not unique.` });
    else seen.set(at.value, what);
  }
}

function counts(ctx: RuleContext, sv: ServingView): void {
  const store = sv.kvStoreSizeMB;
  const checked: { at: NumberAt | undefined; what: string }[] = [
    { at: store, what: 'kvStoreSizeMB' },
    ...Object.values(sv.stages).map(s => ({ at: s.maxNumSeqs, what: `${s.key} maxNumSeqs` })),
  ];
  for (const { at, what } of checked) {
    if (at && at.value < 1) ctx.report({ code: 'QEFF-SRV-16', node: at.node, message: `${cap(what)} is ${at.value}: it must be at least 1.` });
  }
  for (const s of Object.values(sv.stages)) for (const g of s.groups) for (const id of g.ids) {
    if (id.value < 0) ctx.report({ code: 'QEFF-SRV-16', node: id.node, message: `Device id ${id.value} is negative: device ids (QIDs) start at 0.` });
  }
}

function devices(ctx: RuleContext, sv: ServingView, stages: Partial<Record<StageKey, StageView>>): void {
  const owner = new Map<number, string>();
  for (const s of Object.values(sv.stages)) {
    groupShape(ctx, s, stages[s.key]);
    s.groups.forEach((g, gi) => {
      for (const id of g.ids) {
        const first = owner.get(id.value);
        if (first) ctx.report({ code: 'QEFF-SRV-02', node: id.node,
          message: `Device ${id.value} is already in ${first}: each device (QID) serves one instance of one stage.` });
        else owner.set(id.value, `${s.key} group ${gi + 1}`);
      }
    });
  }
}

function groupShape(ctx: RuleContext, s: ServingStageView, stage: StageView | undefined): void {
  const portCount = s.portsProp ? s.ports.length : 1; // no "ports": one default port
  if (s.groups.length && portCount !== s.groups.length) {
    ctx.report({ code: 'QEFF-SRV-03', node: s.portsProp?.value ?? s.prop.key,
      message: `${cap(s.key)} has ${s.groups.length} device group(s) and ${portCount} port(s): qaic_disagg starts one instance per device group and needs one port for each.` });
  }
  const devicesPerQpc = stage && (compileInt(stage, 'num_devices').value ?? compileInt(stage, 'mdp_ts_num_devices').value ?? 1);
  const first = s.groups[0];
  s.groups.forEach((g, i) => {
    if (i > 0 && first && g.ids.length !== first.ids.length) {
      ctx.report({ code: 'QEFF-SRV-04', node: g.node,
        message: `${cap(s.key)} device group ${i + 1} has ${g.ids.length} device(s), group 1 has ${first.ids.length}: qaic_disagg needs the groups of a stage to be the same size.` });
    } else if (devicesPerQpc !== undefined && g.ids.length !== devicesPerQpc) {
      ctx.report({ code: 'QEFF-SRV-04', node: g.node,
        message: `${cap(s.key)} device group ${i + 1} has ${g.ids.length} device(s), but the ${s.key} QPC is compiled for num_devices ${devicesPerQpc}: a QPC runs on exactly the devices it was compiled for.` });
    }
  });
}

function shapes(ctx: RuleContext, sv: ServingView, prefill: StageView, decode: StageView): void {
  // --max-model-len is the decode ctx_len; a chunking prefill writes a ctx_len-long KV into it.
  const dCtx = effectiveLengths(decode).ctx;
  const pCtx = effectiveLengths(prefill).ctx;
  const dCtxNode = prop(decode.compile, 'ctx_len')?.value ?? ctx.missingCompileKeyNode(decode);
  if (prefill.mode === 'chunking' && pCtx !== dCtx) {
    ctx.report({ code: 'QEFF-SRV-05', node: dCtxNode, stage: decode,
      message: `Serving runs with --max-model-len ${dCtx} (the decode ctx_len), but the chunking prefill is compiled for ctx_len ${pCtx}: vLLM's KV blocks of the two runtimes would not line up. Use one ctx_len.` });
  }
  const fbs = compileInt(decode, 'full_batch_size').value;
  const seqs = sv.stages.decode?.maxNumSeqs;
  if (seqs && fbs !== undefined && seqs.value !== fbs) {
    ctx.report({ code: 'QEFF-SRV-06', node: seqs.node,
      message: `Decode maxNumSeqs ${seqs.value} differs from the decode QPC's full_batch_size ${fbs}: vLLM takes the batch from --decode-max-num-seqs and the QPC has exactly ${fbs} slots. Drop maxNumSeqs (it defaults to full_batch_size) or set ${fbs}.` });
  }
  const pInt8 = compileBool(prefill, 'mxint8_kv_cache').value ?? DEFAULTS.mxint8_kv_cache;
  const dInt8 = compileBool(decode, 'mxint8_kv_cache').value ?? DEFAULTS.mxint8_kv_cache;
  if (pInt8 !== dInt8) {
    ctx.report({ code: 'QEFF-SRV-07', node: prop(decode.compile, 'mxint8_kv_cache')?.value ?? ctx.missingCompileKeyNode(decode), stage: decode,
      message: `mxint8_kv_cache is ${pInt8} for prefill and ${dInt8} for decode: qaic_disagg takes one --kv-cache-dtype for both runtimes. Compile both with the same value.` });
  }
}

function cap(s: string): string {
  return s[0].toUpperCase() + s.slice(1);
}
