// Hover: the schema's documentation for the key or value under the cursor, plus computed facts (the
// stage's KV memory) where they help.
import { findNodeAtOffset, getNodePath, type Node } from 'jsonc-parser';
import { stageCcl } from './ccl';
import { buildView, compileBool, compileInt, effectiveLengths, type StageView } from './configView';
import { compilerFlagName, KNOWN_COMPILE_KEYS } from './knownKeys';
import { formatBytes, kvEstimate } from './kvMemory';
import { escapeMarkdown, inlineCode } from './markdown';
import { DEFAULTS } from './model';
import { parseDocument } from './parse';
import { ALL_VERSION_COMPILE_KEYS, compileTakes, versionFacts, versionsTaking, VERSION_TABLE } from './versionTable';
import { docOf, enumDocOf, schemaAt } from './schemaDocs';
import type { CheckOptions, Family } from './types';

export interface HoverResult { markdown: string; offset: number; length: number }

const KV_KEYS = new Set(['ctx_len', 'prefill_seq_len', 'batch_size', 'full_batch_size', 'kv_cache_batch_size', 'mxint8_kv_cache', 'mode']);
const CCL_KEYS = new Set(['comp_ctx_lengths_prefill', 'comp_ctx_lengths_decode', 'ccl_enabled']);

export function hoverAt(text: string, offset: number, options: CheckOptions = {}): HoverResult | undefined {
  const { root } = parseDocument(text);
  if (!root) return undefined;
  const node = findNodeAtOffset(root, offset, true);
  if (!node) return undefined;
  const prop = node.parent?.type === 'property' ? node.parent : undefined;
  if (!prop) return undefined;
  const isKey = prop.children?.[0] === node;
  const keyNode = prop.children![0];
  const name = String(keyNode.value);
  const path = [...getNodePath(prop.parent!), name];
  const schema = schemaAt(path);
  const parts: string[] = [];
  const inCompile = path.length === 3 && path[1] === 'compile';
  if (!isKey && node.type !== 'object' && node.type !== 'array') {
    const enumDoc = enumDocOf(schema, node.value);
    if (enumDoc) parts.push(enumDoc);
  }
  if (!parts.length || isKey) {
    const doc = docOf(schema);
    if (doc) parts.push(`**${escapeMarkdown(name)}**\n\n${doc}`);
    else if (inCompile && !KNOWN_COMPILE_KEYS.includes(name)) {
      parts.push(`**${escapeMarkdown(name)}**\n\nNot a QEfficient keyword argument: QEfficient passes it to the compiler as ${inlineCode(compilerFlagName(name))}, unchecked.`);
    }
  }
  if (inCompile && isKey && ALL_VERSION_COMPILE_KEYS.includes(name)) {
    const version = buildView(root, options).version;
    if (!compileTakes(version, name)) {
      parts.push(`**Not a keyword of ${version ? `QEfficient ${version.text}` : 'the latest QEfficient'}** (${versionFacts(version).branch}): it reaches the compiler as \`${compilerFlagName(name)}\`. Taken on ${versionsTaking(name).map(k => VERSION_TABLE[k].branch).join(', ')}.`);
    }
  }
  const stageKey = path[0];
  if ((stageKey === 'prefill' || stageKey === 'decode') && KV_KEYS.has(name) && (inCompile || (path.length === 2 && name === 'mode'))) {
    const view = buildView(root, options);
    const stage = view.stages.find(s => s.key === stageKey);
    const facts = stage && kvFacts(stage, view.family);
    if (facts) parts.push(facts);
  }
  if ((stageKey === 'prefill' || stageKey === 'decode') && CCL_KEYS.has(name)) {
    const stage = buildView(root, options).stages.find(s => s.key === stageKey);
    const ccl = stage?.mode ? stageCcl(stage) : undefined;
    if (ccl) parts.push(`**CCL as QEfficient compiles this stage**: \`${ccl.usedName}\` = \`[${ccl.effective.join(', ')}]\`, ctx_len ${ccl.ctxLen} (after the rewrites of \`check_ccl_specializations.py\`).`);
  }
  if (!parts.length) return undefined;
  const target: Node = isKey ? keyNode : node;
  return { markdown: parts.join('\n\n---\n\n'), offset: target.offset, length: target.length };
}

function kvFacts(stage: StageView, family: Family | undefined): string | undefined {
  if (!stage.mode) return undefined;
  if (!family) return '**KV cache**: set `"family"` (gpt-oss-20b or gpt-oss-120b) to see this stage\'s KV memory.';
  const { psl, ctx } = effectiveLengths(stage);
  const kv = kvEstimate(family, stage.mode, {
    prefillSeqLen: psl, ctxLen: ctx,
    mxint8: compileBool(stage, 'mxint8_kv_cache').value ?? DEFAULTS.mxint8_kv_cache,
    kvCacheBatchSize: compileInt(stage, 'kv_cache_batch_size').value,
    fullBatchSize: compileInt(stage, 'full_batch_size').value,
    batchSize: compileInt(stage, 'batch_size').value,
  });
  const a = kv.approximate;
  return [
    `**KV cache of this ${stage.key} stage** (${family}, ${stage.mode}${a ? ', mxint8' : ', fp16'}):`,
    `${formatBytes(kv.bytesPerSlot, a)} per slot × ${kv.slots} slot${kv.slots === 1 ? '' : 's'} = **${formatBytes(kv.bytesTotal, a)}**.`,
    `Full-attention layers hold ${kv.fullLen} positions, sliding-window layers ${kv.slidingLen}.${a ? ' (mxint8: block scales not counted.)' : ''}`,
  ].join(' ');
}
