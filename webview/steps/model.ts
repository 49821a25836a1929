// The Model and Stages steps: the model (hub id or local folder, family, target version) and the stages to build.
import { button, dropdown, radioGroup, textField } from '../components';
import { domId, h } from '../dom';
import { STAGE_CHOICES } from '../text';
import { configFolder, post, type StepHost } from '../stepHost';

const VERSIONS = ['1.23', '1.22', '1.21'];

export function modelStep(app: StepHost): HTMLElement[] {
  const s = app.state!;
  const source = app.bind('modelSource', radioGroup({
    id: 'f-modelSource', label: 'Where the model comes from', value: s.modelSource,
    options: [{ value: 'hub', label: 'Hugging Face hub id' }, { value: 'local', label: 'Local folder' }],
    onChange: v => app.change({ kind: 'modelSource', value: v === 'local' ? 'local' : 'hub' }, true),
  }), () => app.state!.modelSource);
  const hub = s.modelSource === 'hub';
  const model = app.bind('model', textField({
    id: 'f-model', label: hub ? 'Hub id' : 'Model folder (relative to the config file)', value: s.model,
    placeholder: hub ? 'openai/gpt-oss-120b' : './models/gpt-oss-120b', size: 40, describedBy: app.describedBy('model'),
    onInput: v => app.change({ kind: 'model', value: v }),
  }), () => app.state!.model);
  const extra = hub ? [] : [button({ id: 'browse-model', label: 'Browse…', title: 'Pick the local model folder', onClick: () => post({ type: 'pickFolder', purpose: 'model', folder: configFolder(app.state!) }) }).el];
  const presets = hub ? h('div', { class: 'presets', role: 'group', 'aria-label': 'GPT-OSS models on the hub' },
    h('span', { class: 'help' }, 'Use:'),
    ...['openai/gpt-oss-20b', 'openai/gpt-oss-120b'].map(id => button({
      id: `preset-${id.split('/')[1]}`, label: id, title: `Use ${id}`, onClick: () => app.change({ kind: 'model', value: id }),
    }).el)) : null;
  const family = app.bind('family', dropdown({
    id: 'f-family', label: 'Model family', value: s.family, describedBy: app.describedBy('family'),
    options: [{ value: 'auto', label: 'Infer from the model' }, { value: 'gpt-oss-20b', label: 'gpt-oss-20b' }, { value: 'gpt-oss-120b', label: 'gpt-oss-120b' }],
    onChange: v => app.change({ kind: 'family', value: v === 'gpt-oss-20b' || v === 'gpt-oss-120b' ? v : 'auto' }, true),
  }), () => app.state!.family);
  app.familyNote = h('p', { class: 'help', id: domId('h', 'family') });
  const versions = [...new Set(['', ...VERSIONS, s.qefficientVersion, app.hostVersion].filter(v => v !== undefined))];
  const version = app.bind('qefficientVersion', dropdown({
    id: 'f-qefficientVersion', label: 'Target QEfficient version', value: s.qefficientVersion, describedBy: app.describedBy('qefficientVersion'),
    options: versions.filter((v, i) => i === 0 || v !== '').map(v => ({ value: v, label: v === '' ? 'Latest (1.22 or later)' : v })),
    onChange: v => app.change({ kind: 'qefficientVersion', value: v }),
  }), () => app.state!.qefficientVersion);
  const familyDiags = h('div', { class: 'diags', id: domId('d', 'family') });
  app.diagSlots.set('family', familyDiags);
  return [
    h('div', { class: 'field' }, source.el),
    app.row('model', model.el, hub ? 'As on huggingface.co; the family is inferred from the id.' : 'The folder needs config.json (the family is read from num_local_experts) and the weights.', extra, presets),
    h('div', { class: 'field', id: domId('row', 'family') }, family.el, app.familyNote, familyDiags),
    app.row('qefficientVersion', version.el, `The rules follow this version's behaviour. Latest means the editor's setting or the detected install${app.hostVersion ? ` (now ${app.hostVersion})` : ''}, else 1.22 or later.`),
  ];
}

export function stagesStep(app: StepHost): HTMLElement[] {
  const s = app.state!;
  const stages = app.bind('stages', radioGroup({
    id: 'f-stages', label: 'Which QPCs to build', value: s.stages, options: STAGE_CHOICES, vertical: true,
    onChange: v => app.change({ kind: 'stages', value: v === 'prefill' || v === 'decode' ? v : 'both' }, true),
  }), () => app.state!.stages);
  return [
    h('div', { class: 'field' }, stages.el),
    h('ul', { class: 'facts' },
      h('li', {}, h('strong', {}, 'Prefill-only QPC: '), 'compile(prefill_only=True). Processes the prompt and hands the KV cache to decode.'),
      h('li', {}, h('strong', {}, 'Decode-only QPC: '), 'compile(prefill_seq_len=1). Generates one token per step from the KV cache.')),
  ];
}
