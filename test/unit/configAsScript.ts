// Test helper: a config rule case written as the Python script a user would write for it (one model and one
// function per stage, like upstream's examples/disagg_serving/gpt_oss_disagg_mode*.py), with a map from every
// config node to the Python text that stands for it. Configs a script cannot say (a "family", a mode-defining
// kwarg that would change what the call is) give undefined.
import { getNodeValue, parseTree, type Node } from 'jsonc-parser';
import { isPythonIdentifier, pyLiteral } from '../../src/core/pythonLiteral';

export interface ScriptOfConfig { text: string; version?: string; spanOf(configOffset: number): { start: number; end: number } | undefined }

const STAGE_KWARGS: Record<string, [string, string][]> = {
  blocking: [['prefill_only', 'True']],
  chunking: [['prefill_only', 'True'], ['enable_chunking', 'True']],
  'swa-retain': [['prefill_seq_len', '1']],
  'full-kv': [['prefill_seq_len', '1'], ['retain_full_kv', 'True']],
};

const kids = (n: Node | undefined) => (n?.type === 'object' ? n.children ?? [] : []);
const key = (p: Node) => String(p.children![0].value);

export function configAsScript(config: string): ScriptOfConfig | undefined {
  const root = parseTree(config);
  if (!root || root.type !== 'object') return undefined;
  const spans = new Map<number, { start: number; end: number }>();
  let out = 'import os\n\nfrom QEfficient import QEFFAutoModelForCausalLM\n\n';
  let model: Node | undefined;
  let version: string | undefined;
  const stages: Node[] = [];
  for (const p of kids(root)) {
    const k = key(p);
    const v = p.children![1];
    if (k === 'model' && v?.type === 'string') model = v;
    else if (k === 'qefficientVersion' && v?.type === 'string') version = String(v.value);
    else if ((k === 'prefill' || k === 'decode') && v?.type === 'object') stages.push(p);
    else if (k !== '$schema') return undefined;
  }
  if (!model || !stages.length) return undefined;
  out += 'MODEL = ';
  spans.set(model.offset, { start: out.length, end: out.length + pyLiteral(model.value).length });
  out += `${pyLiteral(model.value)}\n`;
  for (const stage of stages) {
    const name = key(stage);
    const parts = new Map(kids(stage.children![1]).map(p => [key(p), p] as const));
    if ([...parts.keys()].some(k => !['mode', 'from_pretrained', 'compile', 'env'].includes(k))) return undefined;
    const mode = parts.get('mode')?.children?.[1];
    const kwargs = STAGE_KWARGS[String(mode?.value)];
    if (!mode || !kwargs || (name === 'prefill') !== (kwargs[0][0] === 'prefill_only')) return undefined;
    const fp = parts.get('from_pretrained')?.children?.[1];
    const compile = parts.get('compile')?.children?.[1];
    const env = parts.get('env')?.children?.[1];
    if ((fp && fp.type !== 'object') || (compile && compile.type !== 'object') || (env && env.type !== 'object')) return undefined;
    // Kwargs the script writes for the stage itself, or that would make the call another stage.
    const taken = name === 'prefill' ? ['prefill_only', 'enable_chunking'] : ['prefill_only', 'prefill_seq_len', 'retain_full_kv'];
    if (kids(compile).map(key).some(k => taken.includes(k))) return undefined;
    out += `\n\ndef ${name}():\n`;
    for (const e of kids(env)) {
      out += '    os.environ[';
      const k = JSON.stringify(key(e));
      spans.set(e.children![0].offset, { start: out.length, end: out.length + k.length });
      out += `${k}] = `;
      literal(e.children![1]);
      out += '\n';
    }
    out += `    model = QEFFAutoModelForCausalLM.from_pretrained(MODEL${kids(fp).length ? ',' : ''}`;
    if (!writeKwargs(kids(fp))) return undefined;
    out += ')\n    model.';
    const methodSpan = { start: out.length, end: out.length + 'compile'.length };
    for (const n of [stage.children![0], parts.get('compile')?.children?.[0]]) if (n) spans.set(n.offset, methodSpan);
    out += 'compile(\n';
    kwargs.forEach(([k, v]) => {
      out += '        ';
      if (k === kwargs[kwargs.length - 1][0]) spans.set(mode.offset, { start: out.length, end: out.length + k.length + 1 + v.length });
      out += `${k}=${v},\n`;
    });
    if (!writeKwargs(kids(compile), '        ')) return undefined;
    out += '    )\n';
  }
  return { text: out, version, spanOf: o => spans.get(o) };

  /** The Python literal of a JSON value, mapping each nested node too. */
  function literal(n: Node): void {
    const start = out.length;
    if (n.type === 'object') {
      out += '{';
      (n.children ?? []).forEach((p, i) => {
        out += `${i ? ', ' : ''}${pyLiteral(key(p))}: `;
        literal(p.children![1]);
      });
      out += '}';
    } else if (n.type === 'array') {
      out += '[';
      (n.children ?? []).forEach((c, i) => { out += i ? ', ' : ''; literal(c); });
      out += ']';
    } else {
      out += pyLiteral(getNodeValue(n));
    }
    spans.set(n.offset, { start, end: out.length });
  }

  function writeKwargs(props: Node[], indent = ' '): boolean {
    for (const p of props) {
      const k = key(p);
      if (!isPythonIdentifier(k)) return false;
      out += indent;
      spans.set(p.children![0].offset, { start: out.length, end: out.length + k.length });
      out += `${k}=`;
      literal(p.children![1]);
      out += `,${indent === ' ' ? '' : '\n'}`;
    }
    return true;
  }
}
