// The live part of the wizard: after every change the KV memory, the diagnostics beside the fields, the
// review (config text, scripts, problems) and the per-step counts in the navigation follow the core's analysis.
import type { Diagnostic, Family, StageKey } from '../src/core/types';
import {
  isRelevant, kvText, stageKeys, stageKv, stepIndex, STEPS, type Analysis, type ParamName, type WizardState,
} from '../src/core/wizard';
import { button } from './components';
import { h } from './dom';
import type { KvCell } from './stepHost';
import { FAMILY_HELP } from './text';

export interface LiveHost {
  readonly state: WizardState | undefined;
  readonly analysis: Analysis | undefined;
  readonly kvCells: KvCell[];
  readonly familyNote: HTMLElement | undefined;
  readonly diagSlots: Map<string, HTMLElement>;
  readonly bindings: Map<string, { setInvalid(invalid: boolean): void }>;
  readonly review: { text?: HTMLElement; scripts: Partial<Record<StageKey, HTMLElement>>; problems?: HTMLElement };
  family(): Family | undefined;
  goTo(step: number, focusField?: string): void;
}

const SEVERITY_LABEL: Record<Diagnostic['severity'], string> = { error: 'Error', warning: 'Warning', info: 'Info', hint: 'Hint' };

/** The step a field is shown in. */
export function stepOfField(field: string): number {
  if (field === 'model' || field === 'family' || field === 'qefficientVersion' || field === 'modelSource') return stepIndex('model');
  if (field === 'stages') return stepIndex('stages');
  if (field.endsWith('.mode')) return stepIndex('modes');
  if (field === 'fileName' || field === 'folder') return stepIndex('review');
  if (field === 'serving' || field.startsWith('serving.')) return stepIndex('serving');
  return stepIndex('parameters');
}

/** Whether the wizard shows a field for this state (else its diagnostics are listed with their JSON path). */
function isShown(state: WizardState, field: string): boolean {
  const [stage, group, name] = field.split('.');
  if (field === 'serving') return true;
  if (stage === 'serving') return state.serving?.enabled === true && state.stages === 'both' && (field !== 'serving.image' || state.serving.values.runtime === 'docker');
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

export function updateKv(app: LiveHost): void {
  const s = app.state!;
  const family = app.family();
  for (const cell of app.kvCells) {
    if (!family) { cell.el.textContent = cell.what === 'summary' ? 'KV cache: choose the model family to see its memory.' : 'choose the family'; continue; }
    const mode = cell.mode ?? (s[cell.stage].mode || undefined);
    if (!mode) { cell.el.textContent = ''; continue; }
    const kv = kvText(stageKv(s, cell.stage, mode, family));
    if (cell.what === 'slot') cell.el.textContent = `${kv.perSlot} (${kv.lengths})`;
    else if (cell.what === 'total') cell.el.textContent = `${kv.total} = ${kv.slots} slot${kv.slots === 1 ? '' : 's'}`;
    else cell.el.textContent = `KV cache (${family}, ${mode}, ${s[cell.stage].mxint8_kv_cache ? 'mxint8' : 'fp16'}): ${kv.perSlot} per slot × ${kv.slots} slot${kv.slots === 1 ? '' : 's'} = ${kv.total}. ${kv.lengths[0].toUpperCase()}${kv.lengths.slice(1)}.`;
  }
  if (app.familyNote) {
    const eff = app.family(); // with family "auto": the inferred one
    app.familyNote.textContent = s.family === 'auto'
      ? (eff ? `Inferred: ${eff}. ${FAMILY_HELP[eff]}` : 'Not recognised from the model yet: enter a gpt-oss model or choose the family.')
      : (eff ? FAMILY_HELP[eff] : '');
  }
}

export function fieldDiagnostics(app: LiveHost, field: string): { message: string; severity: Diagnostic['severity']; code: string }[] {
  const list = (app.analysis?.mapped.byField[field] ?? []).map(d => ({ message: d.message, severity: d.severity, code: d.code }));
  for (const p of app.analysis?.problems ?? []) if (p.field === field) list.push({ message: p.message, severity: 'error', code: 'file' });
  return list;
}

function diagLine(x: { message: string; severity: Diagnostic['severity']; code: string }): HTMLElement {
  return h('div', { class: `diag ${x.severity}`, 'data-code': x.code },
    h('span', { class: 'sev' }, SEVERITY_LABEL[x.severity]), ' ',
    x.code !== 'file' ? h('code', { class: 'rule' }, x.code) : null, x.code !== 'file' ? ' ' : null,
    h('span', { class: 'msg' }, x.message));
}

/** Nothing entered yet: the missing model is the next thing to do, not a fault to shout about. */
export function modelPending(app: LiveHost): boolean {
  return !!app.state && app.state.model.trim() === '';
}

export function updateDiagnostics(app: LiveHost): void {
  for (const [field, slot] of app.diagSlots) {
    if (field === 'model' && modelPending(app)) {
      slot.replaceChildren(h('div', { class: 'diag hint' }, h('span', { class: 'msg' }, 'Start here: enter a hub id (or use one of the buttons), or choose a local folder.')));
      app.bindings.get(field)?.setInvalid(false);
      continue;
    }
    const list = fieldDiagnostics(app, field);
    slot.replaceChildren(...list.map(x => diagLine(x)));
    app.bindings.get(field)?.setInvalid(list.some(x => x.severity === 'error'));
  }
}

export function updateReview(app: LiveHost): void {
  const a = app.analysis;
  const s = app.state!;
  if (!a) return;
  if (app.review.text) app.review.text.textContent = a.text;
  for (const stage of stageKeys(s.stages)) {
    const pre = app.review.scripts[stage];
    if (pre) pre.textContent = a.scripts[stage] ?? 'No script yet: the config has a problem this stage\'s plan needs fixed (see Problems).';
  }
  const box = app.review.problems;
  if (!box) return;
  const items: HTMLElement[] = [];
  for (const [field, ds] of Object.entries(a.mapped.byField)) {
    for (const d of ds) {
      const shown = isShown(s, field);
      items.push(h('li', {}, diagLine(d), ' ',
        shown ? button({ label: `Show ${fieldLabel(field)}`, title: `Go to the field ${field}`, onClick: () => app.goTo(stepOfField(field), field) }).el
          : h('span', { class: 'path' }, `at ${field}: not a wizard field here; fix it in the editor`)));
    }
  }
  for (const { diagnostic, path } of a.mapped.general) {
    items.push(h('li', {}, diagLine(diagnostic), ' ', h('span', { class: 'path' }, `at ${path || 'the document'}: not a wizard field; fix it in the editor`)));
  }
  for (const p of a.problems) items.push(h('li', {}, diagLine({ message: p.message, severity: 'error', code: 'file' })));
  box.replaceChildren(items.length ? h('ul', {}, ...items) : h('p', { class: 'none' }, 'No problems: the core\'s check is clean.'));
}

export function counts(app: LiveHost, step: number): { errors: number; warnings: number } {
  const a = app.analysis;
  const s = app.state!;
  let errors = 0;
  let warnings = 0;
  if (!a) return { errors, warnings };
  const add = (sev: string) => { if (sev === 'error') errors++; else if (sev === 'warning') warnings++; };
  for (const [field, ds] of Object.entries(a.mapped.byField)) {
    if (field === 'model' && modelPending(app)) continue;
    const at = isShown(s, field) ? stepOfField(field) : stepIndex('review');
    if (at === step) ds.forEach(d => add(d.severity));
  }
  if (step === stepIndex('review')) {
    a.mapped.general.forEach(g => add(g.diagnostic.severity));
    a.problems.forEach(() => add('error'));
  }
  return { errors, warnings };
}

export function updateNav(app: LiveHost): void {
  STEPS.forEach((id, i) => {
    const el = document.getElementById(`nav-${id}-counts`);
    if (!el) return;
    const { errors, warnings } = counts(app, i);
    el.textContent = [errors ? `${errors} error${errors > 1 ? 's' : ''}` : '', warnings ? `${warnings} warning${warnings > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ');
    el.className = `counts${errors ? ' has-errors' : warnings ? ' has-warnings' : ''}`;
  });
}
