// The wizard webview: a ready -> init handshake with the extension, the state kept with setState (restored
// after a reload or when the tab is shown again), and on every change the core's own check of the config
// the wizard would write, each diagnostic shown beside the field it concerns. Files the check needs (NPI
// files, a local model's config.json) come from the extension, which alone touches the file system.
import type { Diagnostic, Mode, StageKey } from '../src/core/types';
import {
  analyse, applyChange, isBoolParam, markSaved, isRelevant, kvText, MODE_FACTS, MODES_OF, naturalDecode, paramField, stageKeys,
  effectiveFamily, stageKv, stepIndex, STEPS, type Analysis, type FileCache, type HostMessage, type ModeFacts, type ParamName, type WebviewMessage,
  type WizardChange, type WizardState,
} from '../src/core/wizard';
import { button, checkbox, divider, dropdown, radioGroup, registerComponents, tabs, textField, type Control } from './components';
import { domId, h } from './dom';
import { FAMILY_HELP, PARAM_TEXT, STAGE_CHOICES, STAGE_TITLES, STEP_INTRO, STEP_TITLES } from './text';
import { vscodeApi } from './vscodeApi';
import './wizard.css';

interface Binding { focus: HTMLElement; sync(): void; setInvalid(invalid: boolean): void }
interface KvCell { el: HTMLElement; stage: StageKey; mode?: Mode; what: 'slot' | 'total' | 'summary' }

const VERSIONS = ['1.23', '1.22', '1.21'];
const PARAM_ORDER: ParamName[] = [
  'prefill_seq_len', 'ctx_len', 'num_cores', 'num_devices', 'mxfp6_matmul', 'mxint8_kv_cache', 'continuous_batching',
  'full_batch_size', 'kv_cache_batch_size', 'use_onnx_subfunctions', 'NUM_Q_BLOCKS', 'NUM_FFN_BLOCKS', 'ENABLE_OPT_SWA',
  'node_precision_info',
];
const SEVERITY_LABEL: Record<Diagnostic['severity'], string> = { error: 'Error', warning: 'Warning', info: 'Info', hint: 'Hint' };

function post(m: WebviewMessage): void {
  vscodeApi.postMessage(m);
}

/** The step a field is shown in. */
function stepOfField(field: string): number {
  if (field === 'model' || field === 'family' || field === 'qefficientVersion' || field === 'modelSource') return stepIndex('model');
  if (field === 'stages') return stepIndex('stages');
  if (field.endsWith('.mode')) return stepIndex('modes');
  if (field === 'fileName' || field === 'folder') return stepIndex('review');
  return stepIndex('parameters');
}

/** Whether the wizard shows a field for this state (else its diagnostics are listed with their JSON path). */
function isShown(state: WizardState, field: string): boolean {
  const [stage, group, name] = field.split('.');
  if (stage !== 'prefill' && stage !== 'decode') return true;
  if (!stageKeys(state.stages).includes(stage)) return false;
  if (group === 'mode') return true;
  return isRelevant(stage, state[stage], name as ParamName);
}

/** "prefill.compile.ctx_len" -> "ctx_len (prefill)", "model" -> "model". */
function fieldLabel(field: string): string {
  const parts = field.split('.');
  return parts.length > 1 ? `${parts[parts.length - 1]} (${parts[0]})` : field;
}

function configFolder(state: WizardState): string {
  if (!state.edit) return state.folder;
  const p = state.edit.path;
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i > 0 ? p.slice(0, i) : p;
}

class WizardApp {
  private state: WizardState | undefined;
  private files: FileCache = {};
  private readonly requested = new Set<string>();
  private hostVersion = '';
  private canRun = false;
  private analysis: Analysis | undefined;
  private pendingFiles = false;
  private saving = false;
  private savedMessage: { text: string; ok: boolean } | undefined;
  private bindings = new Map<string, Binding>();
  private diagSlots = new Map<string, HTMLElement>();
  private kvCells: KvCell[] = [];
  private review: { text?: HTMLElement; scripts: Partial<Record<StageKey, HTMLElement>>; problems?: HTMLElement } = { scripts: {} };
  private familyNote: HTMLElement | undefined;
  private cspViolations = 0;

  private readonly app = document.getElementById('app') as HTMLElement;
  private readonly main = h('main', { id: 'step', tabindex: '-1', 'aria-labelledby': 'step-title' });
  private readonly nav = h('ol', { class: 'steps' });
  private readonly status = h('p', { id: 'status', role: 'status', 'aria-live': 'polite' });
  private backBtn!: Control<void>;
  private nextBtn!: Control<void>;
  private saveBtn!: Control<void>;
  private runBtn!: Control<void>;
  private readonly title = h('h1', { id: 'wizard-title' }, 'New disaggregated serving config');
  private readonly subtitle = h('p', { class: 'subtitle' });

  start(): void {
    registerComponents();
    document.addEventListener('securitypolicyviolation', e => {
      this.cspViolations++;
      this.app.dataset.cspViolations = String(this.cspViolations);
      post({ type: 'log', level: 'warn', message: `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})` });
    });
    window.addEventListener('message', e => this.onHost(e.data as HostMessage));
    const saved = vscodeApi.getState() as { state?: WizardState } | undefined;
    const state = saved?.state?.schemaVersion === 1 ? saved.state : undefined;
    // One ready: the host answers it with init, a fresh one when the kept state is from another version.
    post(state ? { type: 'ready', state } : { type: 'ready' });
  }

  // ---- Messages from the extension ------------------------------------------------------------------------

  private onHost(m: HostMessage): void {
    if (!m || typeof m !== 'object') return;
    switch (m.type) {
      case 'init':
        this.state = m.state;
        this.canRun = m.canRun;
        this.hostVersion = m.hostVersion;
        this.files = { ...m.files };
        this.requested.clear();
        this.savedMessage = undefined;
        this.persist();
        this.renderShell();
        this.renderStep();
        this.refresh();
        this.app.dataset.ready = 'true';
        return;
      case 'picked':
        Object.assign(this.files, m.files);
        if (m.purpose === 'model') {
          if (this.state?.modelSource !== 'local') this.change({ kind: 'modelSource', value: 'local' }, true);
          this.change({ kind: 'model', value: m.value });
        } else if (m.purpose === 'target') this.change({ kind: 'folder', value: m.value });
        else if (m.stage) this.change({ kind: 'param', stage: m.stage, name: 'node_precision_info', value: m.value });
        this.bindings.get(m.purpose === 'npi' && m.stage ? paramField(m.stage, 'node_precision_info') : m.purpose === 'model' ? 'model' : 'folder')?.focus.focus();
        return;
      case 'files':
        Object.assign(this.files, m.files);
        this.refresh();
        return;
      case 'baseText':
        if (this.state?.edit) {
          this.state = { ...this.state, edit: { ...this.state.edit, baseText: m.text } };
          this.persist();
          this.refresh();
        }
        return;
      case 'saved':
        this.saving = false;
        if (m.ok && this.state?.edit) {
          // The file now says what the wizard says: later changes are measured from here.
          this.state = markSaved(this.state);
          this.persist();
        }
        this.savedMessage = { text: m.message, ok: m.ok };
        this.app.dataset.saved = m.ok ? 'ok' : m.cancelled ? 'cancelled' : 'refused';
        this.updateFooter();
        return;
    }
  }

  // ---- State -----------------------------------------------------------------------------------------------

  private persist(): void {
    vscodeApi.setState({ state: this.state });
  }

  private change(c: WizardChange, structural = false): void {
    if (!this.state) return;
    this.state = applyChange(this.state, c);
    this.savedMessage = undefined;
    delete this.app.dataset.saved;
    this.persist();
    if (structural) this.renderStep();
    this.refresh();
  }

  private goTo(step: number, focusField?: string): void {
    this.change({ kind: 'step', value: step }, true);
    const target = focusField ? this.bindings.get(focusField)?.focus : undefined;
    if (target) {
      target.scrollIntoView({ block: 'center' });
      target.focus();
    } else {
      this.main.focus();
    }
  }

  /** Runs the core's check on the config the wizard would write and updates everything that depends on it. */
  private refresh(): void {
    const state = this.state;
    if (!state) return;
    const a = analyse(state, this.files, this.hostVersion);
    const ask = a.missingFiles.filter(p => !this.requested.has(p));
    if (ask.length) {
      ask.forEach(p => this.requested.add(p));
      post({ type: 'readFiles', paths: ask.slice(0, 16) });
    }
    this.pendingFiles = a.missingFiles.length > 0;
    for (const b of this.bindings.values()) b.sync();
    // While a file is on its way, the last full result stays on screen (no false "file not found").
    if (!this.pendingFiles || !this.analysis) this.analysis = a;
    this.updateKv();
    this.updateDiagnostics();
    this.updateReview();
    this.updateNav();
    this.updateFooter();
  }

  private family() {
    return effectiveFamily(this.state!, this.analysis?.inferredFamily);
  }

  // ---- Rendering ---------------------------------------------------------------------------------------------

  private renderShell(): void {
    const s = this.state!;
    this.title.textContent = s.edit ? `Edit ${s.edit.path.replace(/\\/g, '/').split('/').pop()} in the wizard` : 'New disaggregated serving config';
    this.subtitle.textContent = s.edit
      ? 'Only the values you change are written back; comments and other keys stay as they are.'
      : 'GPT-OSS on Cloud AI 100 with QEfficient: a prefill-only and a decode-only QPC, checked by the same rules as the editor.';
    this.backBtn = button({ id: 'back', label: 'Back', onClick: () => this.goTo(this.state!.step - 1) });
    this.nextBtn = button({ id: 'next', label: 'Next', onClick: () => this.goTo(this.state!.step + 1) });
    this.saveBtn = button({ id: 'save', label: 'Save', appearance: 'primary', onClick: () => this.save(false) });
    this.runBtn = button({ id: 'save-run', label: 'Save and Run', title: 'Save, then export and compile both stages', onClick: () => this.save(true) });
    this.app.replaceChildren(
      h('header', { class: 'top' }, this.title, this.subtitle),
      h('div', { class: 'layout' },
        h('nav', { 'aria-label': 'Wizard steps' }, this.nav),
        this.main),
      h('footer', { class: 'bar' },
        h('div', { class: 'nav-buttons' }, this.backBtn.el, this.nextBtn.el),
        this.status,
        h('div', { class: 'save-buttons' }, this.saveBtn.el, this.canRun ? this.runBtn.el : null)),
    );
  }

  private renderStep(): void {
    const s = this.state!;
    const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
    this.bindings = new Map();
    this.diagSlots = new Map();
    this.kvCells = [];
    this.review = { scripts: {} };
    this.familyNote = undefined;
    const id = STEPS[s.step];
    const body: HTMLElement[] = [];
    switch (id) {
      case 'model': body.push(...this.modelStep()); break;
      case 'stages': body.push(...this.stagesStep()); break;
      case 'modes': body.push(...this.modesStep()); break;
      case 'parameters': body.push(...this.parametersStep()); break;
      case 'review': body.push(...this.reviewStep()); break;
    }
    this.main.replaceChildren(
      h('h2', { id: 'step-title' }, `${s.step + 1}. ${STEP_TITLES[id]}`),
      h('p', { class: 'intro' }, STEP_INTRO[id]),
      ...body,
    );
    this.main.dataset.step = id;
    this.renderNav();
    if (focusedId) document.getElementById(focusedId)?.focus();
  }

  private renderNav(): void {
    const s = this.state!;
    this.nav.replaceChildren(...STEPS.map((id, i) => h('li', {},
      h('button', { type: 'button', class: 'step', id: `nav-${id}`, 'aria-current': i === s.step ? 'step' : undefined },
        h('span', { class: 'num', 'aria-hidden': 'true' }, String(i + 1)), h('span', { class: 'name' }, STEP_TITLES[id]),
        h('span', { class: 'counts', id: `nav-${id}-counts` })))));
    this.nav.querySelectorAll('button.step').forEach((b, i) => b.addEventListener('click', () => this.goTo(i)));
  }

  private bind<T>(field: string, control: Control<T>, read: () => T): Control<T> {
    this.bindings.set(field, { focus: control.focusTarget, sync: () => control.set(read()), setInvalid: i => control.setInvalid(i) });
    return control;
  }

  private row(field: string, control: HTMLElement, help?: string, extra: (HTMLElement | null)[] = [], below?: HTMLElement | null): HTMLElement {
    const diags = h('div', { class: 'diags', id: domId('d', field) });
    this.diagSlots.set(field, diags);
    return h('div', { class: 'field', id: domId('row', field) },
      extra.length ? h('div', { class: 'with-button' }, control, ...extra) : control,
      below ?? null,
      help ? h('p', { class: 'help', id: domId('h', field) }, help) : null,
      diags);
  }

  private describedBy(field: string): string {
    return `${domId('h', field)} ${domId('d', field)}`;
  }

  private modelStep(): HTMLElement[] {
    const s = this.state!;
    const source = this.bind('modelSource', radioGroup({
      id: 'f-modelSource', label: 'Where the model comes from', value: s.modelSource,
      options: [{ value: 'hub', label: 'Hugging Face hub id' }, { value: 'local', label: 'Local folder' }],
      onChange: v => this.change({ kind: 'modelSource', value: v === 'local' ? 'local' : 'hub' }, true),
    }), () => this.state!.modelSource);
    const hub = s.modelSource === 'hub';
    const model = this.bind('model', textField({
      id: 'f-model', label: hub ? 'Hub id' : 'Model folder (relative to the config file)', value: s.model,
      placeholder: hub ? 'openai/gpt-oss-120b' : './models/gpt-oss-120b', size: 40, describedBy: this.describedBy('model'),
      onInput: v => this.change({ kind: 'model', value: v }),
    }), () => this.state!.model);
    const extra = hub ? [] : [button({ id: 'browse-model', label: 'Browse…', title: 'Pick the local model folder', onClick: () => post({ type: 'pickFolder', purpose: 'model', folder: configFolder(this.state!) }) }).el];
    const presets = hub ? h('div', { class: 'presets', role: 'group', 'aria-label': 'GPT-OSS models on the hub' },
      h('span', { class: 'help' }, 'Use:'),
      ...['openai/gpt-oss-20b', 'openai/gpt-oss-120b'].map(id => button({
        id: `preset-${id.split('/')[1]}`, label: id, title: `Use ${id}`, onClick: () => this.change({ kind: 'model', value: id }),
      }).el)) : null;
    const family = this.bind('family', dropdown({
      id: 'f-family', label: 'Model family', value: s.family, describedBy: this.describedBy('family'),
      options: [{ value: 'auto', label: 'Infer from the model' }, { value: 'gpt-oss-20b', label: 'gpt-oss-20b' }, { value: 'gpt-oss-120b', label: 'gpt-oss-120b' }],
      onChange: v => this.change({ kind: 'family', value: v === 'gpt-oss-20b' || v === 'gpt-oss-120b' ? v : 'auto' }, true),
    }), () => this.state!.family);
    this.familyNote = h('p', { class: 'help', id: domId('h', 'family') });
    const versions = [...new Set(['', ...VERSIONS, s.qefficientVersion, this.hostVersion].filter(v => v !== undefined))];
    const version = this.bind('qefficientVersion', dropdown({
      id: 'f-qefficientVersion', label: 'Target QEfficient version', value: s.qefficientVersion, describedBy: this.describedBy('qefficientVersion'),
      options: versions.filter((v, i) => i === 0 || v !== '').map(v => ({ value: v, label: v === '' ? 'Latest (1.22 or later)' : v })),
      onChange: v => this.change({ kind: 'qefficientVersion', value: v }),
    }), () => this.state!.qefficientVersion);
    const familyDiags = h('div', { class: 'diags', id: domId('d', 'family') });
    this.diagSlots.set('family', familyDiags);
    return [
      h('div', { class: 'field' }, source.el),
      this.row('model', model.el, hub ? 'As on huggingface.co; the family is inferred from the id.' : 'The folder needs config.json (the family is read from num_local_experts) and the weights.', extra, presets),
      h('div', { class: 'field', id: domId('row', 'family') }, family.el, this.familyNote, familyDiags),
      this.row('qefficientVersion', version.el, `The rules follow this version's behaviour. Latest means the editor's setting or the detected install${this.hostVersion ? ` (now ${this.hostVersion})` : ''}, else 1.22 or later.`),
    ];
  }

  private stagesStep(): HTMLElement[] {
    const s = this.state!;
    const stages = this.bind('stages', radioGroup({
      id: 'f-stages', label: 'Which QPCs to build', value: s.stages, options: STAGE_CHOICES, vertical: true,
      onChange: v => this.change({ kind: 'stages', value: v === 'prefill' || v === 'decode' ? v : 'both' }, true),
    }), () => this.state!.stages);
    return [
      h('div', { class: 'field' }, stages.el),
      h('ul', { class: 'facts' },
        h('li', {}, h('strong', {}, 'Prefill-only QPC: '), 'compile(prefill_only=True). Processes the prompt and hands the KV cache to decode.'),
        h('li', {}, h('strong', {}, 'Decode-only QPC: '), 'compile(prefill_seq_len=1). Generates one token per step from the KV cache.')),
    ];
  }

  private modesStep(): HTMLElement[] {
    const s = this.state!;
    const out: HTMLElement[] = [];
    for (const stage of stageKeys(s.stages)) {
      const field = `${stage}.mode`;
      const modes = MODES_OF[stage];
      const group = this.bind(field, radioGroup({
        id: domId('f', field), label: `${STAGE_TITLES[stage]}: mode`, value: s[stage].mode, describedBy: domId('d', field),
        options: modes.map(m => ({ value: m, label: MODE_FACTS[m].title })),
        onChange: v => this.change({ kind: 'mode', stage, value: v as Mode }, true),
      }), () => this.state![stage].mode);
      const diags = h('div', { class: 'diags', id: domId('d', field) });
      this.diagSlots.set(field, diags);
      out.push(h('section', { class: 'stage-modes', 'aria-labelledby': `${stage}-modes-title` },
        h('h3', { id: `${stage}-modes-title` }, STAGE_TITLES[stage]),
        group.el, diags, this.modeTable(stage, modes.map(m => MODE_FACTS[m]))));
    }
    if (s.stages === 'both' && s.prefill.mode && s.decode.mode) {
      const natural = naturalDecode(s.prefill.mode as 'blocking' | 'chunking') === s.decode.mode;
      out.push(h('p', { class: natural ? 'pair natural' : 'pair' }, natural
        ? `${s.prefill.mode} + ${s.decode.mode} is a natural pair: the KV layout prefill hands over is the one decode keeps.`
        : `${s.prefill.mode} + ${s.decode.mode} is not a natural pair: the natural pairs are blocking + swa-retain (least DDR) and chunking + full-kv (prefix caching, multi-turn chat).`));
    }
    return out;
  }

  private modeTable(stage: StageKey, facts: ModeFacts[]): HTMLElement {
    const chosen = this.state![stage].mode;
    const rows: [string, (f: ModeFacts) => string][] = [
      ['QEfficient gets', f => f.qefficient], ['DDR use', f => f.ddr], ['MACs read', f => f.macs],
      ['Prefix caching', f => f.prefixCaching], ['Multi-turn chat', f => f.multiTurn], ['Natural pair', f => f.pair],
    ];
    const kvRow = (what: 'slot' | 'total', label: string) => h('tr', { class: 'kv-row' }, h('th', { scope: 'row' }, label),
      ...facts.map(f => {
        const td = h('td', { class: f.mode === chosen ? 'chosen' : undefined });
        this.kvCells.push({ el: td, stage, mode: f.mode, what });
        return td;
      }));
    return h('table', { class: 'modes', id: `${stage}-modes-table` },
      h('caption', {}, `What each ${stage} mode means (the chosen one is highlighted)`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, ''), ...facts.map(f => h('th', { scope: 'col', class: f.mode === chosen ? 'chosen' : undefined }, f.title, f.mode === chosen ? h('span', { class: 'chosen-mark' }, ' (chosen)') : null)))),
      h('tbody', {},
        ...rows.map(([label, get]) => h('tr', {}, h('th', { scope: 'row' }, label), ...facts.map(f => h('td', { class: f.mode === chosen ? 'chosen' : undefined }, get(f))))),
        kvRow('slot', 'KV cache per slot'), kvRow('total', 'KV cache in total')));
  }

  private parametersStep(): HTMLElement[] {
    const s = this.state!;
    const keys = stageKeys(s.stages);
    return [h('div', { class: keys.length > 1 ? 'stage-columns two' : 'stage-columns' }, ...keys.map(stage => {
      const summary = h('p', { class: 'kv', id: `${stage}-kv` });
      this.kvCells.push({ el: summary, stage, what: 'summary' });
      const rows = PARAM_ORDER.filter(n => isRelevant(stage, s[stage], n)).map(n => this.paramRow(stage, n));
      return h('section', { class: 'stage-params', 'aria-labelledby': `${stage}-params-title` },
        h('h3', { id: `${stage}-params-title` }, `${STAGE_TITLES[stage]} · ${s[stage].mode || 'no mode'}`),
        summary, ...rows);
    }))];
  }

  private paramRow(stage: StageKey, name: ParamName): HTMLElement {
    const field = paramField(stage, name);
    const id = domId('f', field);
    const t = PARAM_TEXT[name];
    const describedBy = this.describedBy(field);
    const read = () => this.state![stage][name];
    if (isBoolParam(name)) {
      const c = this.bind(field, checkbox({
        id, label: t.label, checked: read() === true, describedBy,
        onChange: v => this.change({ kind: 'param', stage, name, value: v }, name === 'continuous_batching'),
      }), () => read() === true);
      return this.row(field, c.el, t.help(stage));
    }
    if (name === 'ENABLE_OPT_SWA') {
      const c = this.bind(field, dropdown({
        id, label: t.label, value: String(read()), describedBy,
        options: [{ value: '1', label: '"1": on' }, { value: '0', label: '"0": off' }, { value: '', label: 'not set (off)' }],
        onChange: v => this.change({ kind: 'param', stage, name, value: v }),
      }), () => String(read()));
      return this.row(field, c.el, t.help(stage));
    }
    const required = name === 'node_precision_info' && this.family() === 'gpt-oss-120b';
    const c = this.bind(field, textField({
      id, label: required ? `${t.label}, required for gpt-oss-120b` : t.label, value: String(read()), describedBy,
      size: name === 'node_precision_info' ? 40 : 12,
      placeholder: name === 'node_precision_info' ? `npi/${stage === 'prefill' ? '' : 'non_'}subfunction_120b_npi.yaml` : 'default',
      onInput: v => this.change({ kind: 'param', stage, name, value: v }),
    }), () => String(read()));
    const extra = name === 'node_precision_info'
      ? [button({ id: `browse-npi-${stage}`, label: 'Browse…', title: `Pick the NPI file of the ${stage} stage`, onClick: () => post({ type: 'pickNpi', stage, folder: configFolder(this.state!) }) }).el]
      : [];
    return this.row(field, c.el, t.help(stage), extra);
  }

  private reviewStep(): HTMLElement[] {
    const s = this.state!;
    const out: HTMLElement[] = [];
    if (s.edit) {
      out.push(h('p', { class: 'target' }, 'Saving writes to ', h('code', {}, s.edit.path), '.'));
    } else {
      const folder = this.bind('folder', textField({
        id: 'f-folder', label: 'Folder', value: s.folder, size: 50, onInput: v => this.change({ kind: 'folder', value: v }),
      }), () => this.state!.folder);
      const name = this.bind('fileName', textField({
        id: 'f-fileName', label: 'File name', value: s.fileName, size: 40, describedBy: this.describedBy('fileName'),
        onInput: v => this.change({ kind: 'fileName', value: v }),
      }), () => this.state!.fileName);
      const browse = button({ id: 'browse-folder', label: 'Browse…', title: 'Pick the folder of the new config', onClick: () => post({ type: 'pickFolder', purpose: 'target', folder: this.state!.folder }) });
      out.push(h('div', { class: 'save-as' },
        this.row('folder', folder.el, undefined, [browse.el]),
        this.row('fileName', name.el, 'Relative paths in the config (the NPI files, a local model) are relative to this folder.')));
    }
    const problems = h('div', { class: 'problems', id: 'problems' });
    this.review.problems = problems;
    out.push(h('h3', {}, 'Problems'), problems);
    const text = h('pre', { class: 'code', id: 'config-text', tabindex: '0', 'aria-label': 'The config file' });
    this.review.text = text;
    const entries = [{ id: 'config', label: s.edit ? 'config (edited)' : (s.fileName || 'config'), content: text }];
    for (const stage of stageKeys(s.stages)) {
      const pre = h('pre', { class: 'code', id: `${stage}-script`, tabindex: '0', 'aria-label': `The ${stage} stage's Python script` });
      this.review.scripts[stage] = pre;
      entries.push({ id: `${stage}-py`, label: `${stage}.py`, content: pre });
    }
    out.push(divider(), tabs('review-tabs', entries));
    return out;
  }

  // ---- Live updates ----------------------------------------------------------------------------------------

  private updateKv(): void {
    const s = this.state!;
    const family = this.family();
    for (const cell of this.kvCells) {
      if (!family) { cell.el.textContent = cell.what === 'summary' ? 'KV cache: choose the model family to see its memory.' : 'choose the family'; continue; }
      const mode = cell.mode ?? (s[cell.stage].mode || undefined);
      if (!mode) { cell.el.textContent = ''; continue; }
      const kv = kvText(stageKv(s, cell.stage, mode, family));
      if (cell.what === 'slot') cell.el.textContent = `${kv.perSlot} (${kv.lengths})`;
      else if (cell.what === 'total') cell.el.textContent = `${kv.total} = ${kv.slots} slot${kv.slots === 1 ? '' : 's'}`;
      else cell.el.textContent = `KV cache (${family}, ${mode}, ${s[cell.stage].mxint8_kv_cache ? 'mxint8' : 'fp16'}): ${kv.perSlot} per slot × ${kv.slots} slot${kv.slots === 1 ? '' : 's'} = ${kv.total}. ${kv.lengths[0].toUpperCase()}${kv.lengths.slice(1)}.`;
    }
    if (this.familyNote) {
      const eff = this.family(); // with family "auto": the inferred one
      this.familyNote.textContent = s.family === 'auto'
        ? (eff ? `Inferred: ${eff}. ${FAMILY_HELP[eff]}` : 'Not recognised from the model yet: enter a gpt-oss model or choose the family.')
        : (eff ? FAMILY_HELP[eff] : '');
    }
  }

  private fieldDiagnostics(field: string): { message: string; severity: Diagnostic['severity']; code: string }[] {
    const list = (this.analysis?.mapped.byField[field] ?? []).map(d => ({ message: d.message, severity: d.severity, code: d.code }));
    for (const p of this.analysis?.problems ?? []) if (p.field === field) list.push({ message: p.message, severity: 'error', code: 'file' });
    return list;
  }

  private diagLine(x: { message: string; severity: Diagnostic['severity']; code: string }): HTMLElement {
    return h('div', { class: `diag ${x.severity}`, 'data-code': x.code },
      h('span', { class: 'sev' }, SEVERITY_LABEL[x.severity]), ' ',
      x.code !== 'file' ? h('code', { class: 'rule' }, x.code) : null, x.code !== 'file' ? ' ' : null,
      h('span', { class: 'msg' }, x.message));
  }

  /** Nothing entered yet: the missing model is the next thing to do, not a fault to shout about. */
  private modelPending(): boolean {
    return !!this.state && this.state.model.trim() === '';
  }

  private updateDiagnostics(): void {
    for (const [field, slot] of this.diagSlots) {
      if (field === 'model' && this.modelPending()) {
        slot.replaceChildren(h('div', { class: 'diag hint' }, h('span', { class: 'msg' }, 'Start here: enter a hub id (or use one of the buttons), or choose a local folder.')));
        this.bindings.get(field)?.setInvalid(false);
        continue;
      }
      const list = this.fieldDiagnostics(field);
      slot.replaceChildren(...list.map(x => this.diagLine(x)));
      this.bindings.get(field)?.setInvalid(list.some(x => x.severity === 'error'));
    }
  }

  private updateReview(): void {
    const a = this.analysis;
    const s = this.state!;
    if (!a) return;
    if (this.review.text) this.review.text.textContent = a.text;
    for (const stage of stageKeys(s.stages)) {
      const pre = this.review.scripts[stage];
      if (pre) pre.textContent = a.scripts[stage] ?? 'No script yet: the config has a problem this stage\'s plan needs fixed (see Problems).';
    }
    const box = this.review.problems;
    if (!box) return;
    const items: HTMLElement[] = [];
    for (const [field, ds] of Object.entries(a.mapped.byField)) {
      for (const d of ds) {
        const shown = isShown(s, field);
        items.push(h('li', {}, this.diagLine(d), ' ',
          shown ? button({ label: `Show ${fieldLabel(field)}`, title: `Go to the field ${field}`, onClick: () => this.goTo(stepOfField(field), field) }).el
            : h('span', { class: 'path' }, `at ${field}: not a wizard field here; fix it in the editor`)));
      }
    }
    for (const { diagnostic, path } of a.mapped.general) {
      items.push(h('li', {}, this.diagLine(diagnostic), ' ', h('span', { class: 'path' }, `at ${path || 'the document'}: not a wizard field; fix it in the editor`)));
    }
    for (const p of a.problems) items.push(h('li', {}, this.diagLine({ message: p.message, severity: 'error', code: 'file' })));
    box.replaceChildren(items.length ? h('ul', {}, ...items) : h('p', { class: 'none' }, 'No problems: the core\'s check is clean.'));
  }

  private counts(step: number): { errors: number; warnings: number } {
    const a = this.analysis;
    const s = this.state!;
    let errors = 0;
    let warnings = 0;
    if (!a) return { errors, warnings };
    const add = (sev: string) => { if (sev === 'error') errors++; else if (sev === 'warning') warnings++; };
    for (const [field, ds] of Object.entries(a.mapped.byField)) {
      if (field === 'model' && this.modelPending()) continue;
      const at = isShown(s, field) ? stepOfField(field) : stepIndex('review');
      if (at === step) ds.forEach(d => add(d.severity));
    }
    if (step === stepIndex('review')) {
      a.mapped.general.forEach(g => add(g.diagnostic.severity));
      a.problems.forEach(() => add('error'));
    }
    return { errors, warnings };
  }

  private updateNav(): void {
    STEPS.forEach((id, i) => {
      const el = document.getElementById(`nav-${id}-counts`);
      if (!el) return;
      const { errors, warnings } = this.counts(i);
      el.textContent = [errors ? `${errors} error${errors > 1 ? 's' : ''}` : '', warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ');
      el.className = `counts${errors ? ' has-errors' : warnings ? ' has-warnings' : ''}`;
    });
  }

  private updateFooter(): void {
    const s = this.state;
    const a = this.analysis;
    if (!s || !a) return;
    const canSave = !this.pendingFiles && !this.saving && a.canSave;
    this.backBtn.setDisabled(s.step === 0);
    this.nextBtn.setDisabled(s.step === STEPS.length - 1);
    this.saveBtn.setDisabled(!canSave);
    this.runBtn.setDisabled(!canSave);
    const errors = a.mapped.errors + a.problems.length;
    const warnings = a.mapped.warnings;
    this.app.dataset.errors = String(errors);
    this.app.dataset.warnings = String(warnings);
    this.app.dataset.canSave = String(canSave);
    let text: string;
    if (this.saving) text = 'Saving…';
    else if (this.savedMessage) text = this.savedMessage.text;
    else if (this.pendingFiles) text = 'Checking the files the config refers to…';
    else if (this.modelPending()) text = 'Start with the model.';
    else if (errors) text = `${errors} error${errors > 1 ? 's' : ''}: Save is disabled until ${errors > 1 ? 'they are' : 'it is'} fixed.`;
    else if (warnings) text = `Ready to save, with ${warnings} warning${warnings > 1 ? 's' : ''}.`;
    else text = 'Ready to save: no problems.';
    this.status.textContent = text;
    this.status.className = this.savedMessage ? (this.savedMessage.ok ? 'ok' : 'not-saved') : errors && !this.modelPending() ? 'has-errors' : '';
  }

  private save(run: boolean): void {
    if (!this.state || this.saving || !this.analysis?.canSave || this.pendingFiles) return;
    this.saving = true;
    this.savedMessage = undefined;
    this.updateFooter();
    post({ type: 'save', state: this.state, run });
  }
}

new WizardApp().start();
