// The wizard webview: a ready -> init handshake with the extension, the state kept with setState (restored
// after a reload or when the tab is shown again), and on every change the core's own check of the config
// the wizard would write, each diagnostic shown beside the field it concerns. Files the check needs (NPI
// files, a local model's config.json) come from the extension, which alone touches the file system.
import type { StageKey } from '../src/core/types';
import {
  analyse, applyChange, effectiveFamily, markSaved, paramField, STEPS, type Analysis, type FileCache, type HostMessage, type WizardChange, type WizardState,
} from '../src/core/wizard';
import { button, registerComponents, type Control } from './components';
import { domId, h } from './dom';
import { STEP_INTRO, STEP_TITLES } from './text';
import { modelPending, updateDiagnostics, updateKv, updateNav, updateReview, type LiveHost } from './liveUpdate';
import { post, type KvCell, type StepHost } from './stepHost';
import { modelStep, stagesStep } from './steps/model';
import { modesStep } from './steps/modes';
import { parametersStep } from './steps/parameters';
import { reviewStep } from './steps/review';
import { vscodeApi } from './vscodeApi';
import './wizard.css';

interface Binding { focus: HTMLElement; sync(): void; setInvalid(invalid: boolean): void }







class WizardApp implements StepHost, LiveHost {
  state: WizardState | undefined;
  private files: FileCache = {};
  private readonly requested = new Set<string>();
  hostVersion = '';
  private canRun = false;
  analysis: Analysis | undefined;
  private pendingFiles = false;
  private saving = false;
  private savedMessage: { text: string; ok: boolean } | undefined;
  bindings = new Map<string, Binding>();
  diagSlots = new Map<string, HTMLElement>();
  kvCells: KvCell[] = [];
  review: { text?: HTMLElement; scripts: Partial<Record<StageKey, HTMLElement>>; problems?: HTMLElement } = { scripts: {} };
  familyNote: HTMLElement | undefined;
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

  change(c: WizardChange, structural = false): void {
    if (!this.state) return;
    this.state = applyChange(this.state, c);
    this.savedMessage = undefined;
    delete this.app.dataset.saved;
    this.persist();
    if (structural) this.renderStep();
    this.refresh();
  }

  goTo(step: number, focusField?: string): void {
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
    updateKv(this);
    updateDiagnostics(this);
    updateReview(this);
    updateNav(this);
    this.updateFooter();
  }

  family() {
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
      case 'model': body.push(...modelStep(this)); break;
      case 'stages': body.push(...stagesStep(this)); break;
      case 'modes': body.push(...modesStep(this)); break;
      case 'parameters': body.push(...parametersStep(this)); break;
      case 'review': body.push(...reviewStep(this)); break;
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

  bind<T>(field: string, control: Control<T>, read: () => T): Control<T> {
    this.bindings.set(field, { focus: control.focusTarget, sync: () => control.set(read()), setInvalid: i => control.setInvalid(i) });
    return control;
  }

  row(field: string, control: HTMLElement, help?: string, extra: (HTMLElement | null)[] = [], below?: HTMLElement | null): HTMLElement {
    const diags = h('div', { class: 'diags', id: domId('d', field) });
    this.diagSlots.set(field, diags);
    return h('div', { class: 'field', id: domId('row', field) },
      extra.length ? h('div', { class: 'with-button' }, control, ...extra) : control,
      below ?? null,
      help ? h('p', { class: 'help', id: domId('h', field) }, help) : null,
      diags);
  }

  describedBy(field: string): string {
    return `${domId('h', field)} ${domId('d', field)}`;
  }

  // ---- Live updates ----------------------------------------------------------------------------------------

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
    else if (modelPending(this)) text = 'Start with the model.';
    else if (errors) text = `${errors} error${errors > 1 ? 's' : ''}: Save is disabled until ${errors > 1 ? 'they are' : 'it is'} fixed.`;
    else if (warnings) text = `Ready to save, with ${warnings} warning${warnings > 1 ? 's' : ''}.`;
    else text = 'Ready to save: no problems.';
    this.status.textContent = text;
    this.status.className = this.savedMessage ? (this.savedMessage.ok ? 'ok' : 'not-saved') : errors && !modelPending(this) ? 'has-errors' : '';
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
