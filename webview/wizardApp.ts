// The wizard's state in the page: kept with setState (restored after a reload or when the tab is shown
// again), changed only through the core's applyChange, and after every change the core's own check of the
// config the wizard would write, each diagnostic shown beside the field it concerns. Files the check needs
// (NPI files, a local model's config.json) come from the extension, which alone touches the file system.
import type { StageKey } from '../src/core/types';
import {
  analyse, applyChange, effectiveFamily, STEPS, type Analysis, type FileCache, type InitMessage, type WizardChange, type WizardState,
} from '../src/core/wizard';
import type { Control } from './components';
import { domId, h } from './dom';
import type { HostMessageTarget } from './hostMessages';
import { modelPending, updateDiagnostics, updateKv, updateNav, updateReview, type LiveHost } from './liveUpdate';
import { WizardShell } from './shell';
import { post, type KvCell, type StepHost } from './stepHost';
import { modelStep, stagesStep } from './steps/model';
import { modesStep } from './steps/modes';
import { parametersStep } from './steps/parameters';
import { reviewStep } from './steps/review';
import { servingStep } from './steps/serving';
import { vscodeApi } from './vscodeApi';

interface Binding { focus: HTMLElement; sync(): void; setInvalid(invalid: boolean): void }

/** The renderer of each step. */
const STEP_RENDERERS: Record<typeof STEPS[number], (app: StepHost) => HTMLElement[]> = {
  model: modelStep, stages: stagesStep, modes: modesStep, parameters: parametersStep, serving: servingStep, review: reviewStep,
};

export class WizardApp implements StepHost, LiveHost, HostMessageTarget {
  state: WizardState | undefined;
  files: FileCache = {};
  private readonly requested = new Set<string>();
  hostVersion = '';
  analysis: Analysis | undefined;
  private pendingFiles = false;
  private saving = false;
  private savedMessage: { text: string; ok: boolean } | undefined;
  bindings = new Map<string, Binding>();
  diagSlots = new Map<string, HTMLElement>();
  kvCells: KvCell[] = [];
  review: { text?: HTMLElement; scripts: Partial<Record<StageKey, HTMLElement>>; problems?: HTMLElement } = { scripts: {} };
  familyNote: HTMLElement | undefined;
  readonly shell = new WizardShell({ goTo: step => this.goTo(step), save: run => this.save(run) }, () => this.state!.step);

  init(m: InitMessage): void {
    performance.mark('wizard:init');
    this.state = m.state;
    this.hostVersion = m.hostVersion;
    this.files = { ...m.files };
    this.requested.clear();
    this.savedMessage = undefined;
    this.persist();
    this.shell.render(m.state, m.canRun);
    this.renderStep();
    this.refresh();
    this.shell.root.dataset.ready = 'true';
    performance.mark('wizard:interactive');
  }

  persist(): void {
    vscodeApi.setState({ state: this.state });
  }

  change(c: WizardChange, structural = false): void {
    if (!this.state) return;
    this.state = applyChange(this.state, c);
    this.savedMessage = undefined;
    delete this.shell.root.dataset.saved;
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
      this.shell.main.focus();
    }
  }

  focusField(field: string): void {
    this.bindings.get(field)?.focus.focus();
  }

  /** Runs the core's check on the config the wizard would write and updates everything that depends on it. */
  refresh(): void {
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

  private renderStep(): void {
    const focusedId = document.activeElement instanceof HTMLElement ? document.activeElement.id : '';
    this.bindings = new Map();
    this.diagSlots = new Map();
    this.kvCells = [];
    this.review = { scripts: {} };
    this.familyNote = undefined;
    const step = this.state!.step;
    this.shell.showStep(step, STEP_RENDERERS[STEPS[step]](this));
    if (focusedId) document.getElementById(focusedId)?.focus();
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

  savedOutcome(m: { ok: boolean; cancelled?: boolean; message: string }): void {
    this.saving = false;
    this.savedMessage = { text: m.message, ok: m.ok };
    this.shell.root.dataset.saved = m.ok ? 'ok' : m.cancelled ? 'cancelled' : 'refused';
    this.updateFooter();
  }

  private updateFooter(): void {
    if (!this.state || !this.analysis) return;
    this.shell.updateFooter({
      state: this.state, analysis: this.analysis, saving: this.saving, pendingFiles: this.pendingFiles,
      savedMessage: this.savedMessage, modelPending: modelPending(this),
    });
  }

  private save(run: boolean): void {
    if (!this.state || this.saving || !this.analysis?.canSave || this.pendingFiles) return;
    this.saving = true;
    this.savedMessage = undefined;
    this.updateFooter();
    post({ type: 'save', state: this.state, run });
  }
}
