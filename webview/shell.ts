// The frame around the steps: the title, the list of steps, the area a step renders into, and the footer with
// Back / Next, the status line and Save / Save and Run. It reports state on #app's data attributes, which the
// UI tests wait for.
import { STEPS, type Analysis, type StepId, type WizardState } from '../src/core/wizard';
import { button, type Control } from './components';
import { h } from './dom';
import { STEP_INTRO, STEP_TITLES } from './text';

export interface ShellActions {
  goTo(step: number): void;
  save(run: boolean): void;
}

/** What the footer shows: the state, the last analysis and where saving stands. */
export interface FooterState {
  state: WizardState;
  analysis: Analysis;
  saving: boolean;
  pendingFiles: boolean;
  savedMessage: { text: string; ok: boolean } | undefined;
  /** Nothing entered yet: the first thing to do, not a fault. */
  modelPending: boolean;
}

export class WizardShell {
  readonly root = document.getElementById('app') as HTMLElement;
  readonly main = h('main', { id: 'step', tabindex: '-1', 'aria-labelledby': 'step-title' });
  private readonly nav = h('ol', { class: 'steps' });
  private readonly status = h('p', { id: 'status', role: 'status', 'aria-live': 'polite' });
  private readonly title = h('h1', { id: 'wizard-title' }, 'New disaggregated serving config');
  private readonly subtitle = h('p', { class: 'subtitle' });
  private readonly backBtn: Control<void>;
  private readonly nextBtn: Control<void>;
  private readonly saveBtn: Control<void>;
  private readonly runBtn: Control<void>;

  constructor(private readonly actions: ShellActions, currentStep: () => number) {
    this.backBtn = button({ id: 'back', label: 'Back', onClick: () => actions.goTo(currentStep() - 1) });
    this.nextBtn = button({ id: 'next', label: 'Next', onClick: () => actions.goTo(currentStep() + 1) });
    this.saveBtn = button({ id: 'save', label: 'Save', appearance: 'primary', onClick: () => actions.save(false) });
    this.runBtn = button({ id: 'save-run', label: 'Save and Run', title: 'Save, then export and compile both stages', onClick: () => actions.save(true) });
  }

  /** The whole page for a new or an edited config; "Save and Run" only where the runner may run. */
  render(s: WizardState, canRun: boolean): void {
    this.title.textContent = s.edit ? `Edit ${s.edit.path.replace(/\\/g, '/').split('/').pop()} in the wizard` : 'New disaggregated serving config';
    this.subtitle.textContent = s.edit
      ? 'Only the values you change are written back; comments and other keys stay as they are.'
      : 'GPT-OSS on Cloud AI 100 with QEfficient: a prefill-only and a decode-only QPC, checked by the same rules as the editor.';
    this.root.replaceChildren(
      h('header', { class: 'top' }, this.title, this.subtitle),
      h('div', { class: 'layout' },
        h('nav', { 'aria-label': 'Wizard steps' }, this.nav),
        this.main),
      h('footer', { class: 'bar' },
        h('div', { class: 'nav-buttons' }, this.backBtn.el, this.nextBtn.el),
        this.status,
        h('div', { class: 'save-buttons' }, this.saveBtn.el, canRun ? this.runBtn.el : null)),
    );
  }

  /** Puts a step's body under its numbered title and marks it current in the list of steps. */
  showStep(step: number, body: HTMLElement[]): void {
    const id: StepId = STEPS[step];
    this.main.replaceChildren(
      h('h2', { id: 'step-title' }, `${step + 1}. ${STEP_TITLES[id]}`),
      h('p', { class: 'intro' }, STEP_INTRO[id]),
      ...body,
    );
    this.main.dataset.step = id;
    this.nav.replaceChildren(...STEPS.map((sid, i) => h('li', {},
      h('button', { type: 'button', class: 'step', id: `nav-${sid}`, 'aria-current': i === step ? 'step' : undefined },
        h('span', { class: 'num', 'aria-hidden': 'true' }, String(i + 1)), h('span', { class: 'name' }, STEP_TITLES[sid]),
        h('span', { class: 'counts', id: `nav-${sid}-counts` })))));
    this.nav.querySelectorAll('button.step').forEach((b, i) => b.addEventListener('click', () => this.actions.goTo(i)));
  }

  updateFooter(f: FooterState): void {
    const { state: s, analysis: a } = f;
    const canSave = !f.pendingFiles && !f.saving && a.canSave;
    this.backBtn.setDisabled(s.step === 0);
    this.nextBtn.setDisabled(s.step === STEPS.length - 1);
    this.saveBtn.setDisabled(!canSave);
    this.runBtn.setDisabled(!canSave);
    const errors = a.mapped.errors + a.problems.length;
    const warnings = a.mapped.warnings;
    this.root.dataset.errors = String(errors);
    this.root.dataset.warnings = String(warnings);
    this.root.dataset.canSave = String(canSave);
    let text: string;
    if (f.saving) text = 'Saving…';
    else if (f.savedMessage) text = f.savedMessage.text;
    else if (f.pendingFiles) text = 'Checking the files the config refers to…';
    else if (f.modelPending) text = 'Start with the model.';
    else if (errors) text = `${errors} error${errors > 1 ? 's' : ''}: Save is disabled until ${errors > 1 ? 'they are' : 'it is'} fixed.`;
    else if (warnings) text = `Ready to save, with ${warnings} warning${warnings > 1 ? 's' : ''}.`;
    else text = 'Ready to save: no problems.';
    this.status.textContent = text;
    this.status.className = f.savedMessage ? (f.savedMessage.ok ? 'ok' : 'not-saved') : errors && !f.modelPending ? 'has-errors' : '';
  }
}
