// The wizard's own small component module: the ONLY file that knows @vscode/webview-ui-toolkit (deprecated
// upstream). Everything else asks for "a text field", "a checkbox", ... with a label and gets a Control back;
// swapping the toolkit (e.g. for @vscode-elements/elements) means rewriting this file alone.
import {
  provideVSCodeDesignSystem, vsCodeButton, vsCodeCheckbox, vsCodeDivider, vsCodeDropdown, vsCodeOption, vsCodePanels,
  vsCodePanelTab, vsCodePanelView, vsCodeRadio, vsCodeRadioGroup, vsCodeTextField,
} from '@vscode/webview-ui-toolkit';

let registered = false;

/** Registers the custom elements once. */
export function registerComponents(): void {
  if (registered) return;
  registered = true;
  provideVSCodeDesignSystem().register(
    vsCodeButton(), vsCodeCheckbox(), vsCodeDivider(), vsCodeDropdown(), vsCodeOption(), vsCodePanels(), vsCodePanelTab(),
    vsCodePanelView(), vsCodeRadio(), vsCodeRadioGroup(), vsCodeTextField(),
  );
}

/** A form control: its element (to place in the page), its value, and focus. */
export interface Control<T> {
  el: HTMLElement;
  /** The element that takes the keyboard focus. */
  focusTarget: HTMLElement;
  get(): T;
  /** Sets the shown value without reporting a change. */
  set(value: T): void;
  setDisabled(disabled: boolean): void;
  setInvalid(invalid: boolean): void;
}

export interface Option { value: string; label: string }

interface Base { id: string; label: string; describedBy?: string }

type ValueElement = HTMLElement & { value: string; disabled: boolean };
type CheckElement = HTMLElement & { checked: boolean; disabled: boolean };

function el<T extends HTMLElement>(tag: string, attrs: Record<string, string | undefined> = {}): T {
  const e = document.createElement(tag) as T;
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) e.setAttribute(k, v);
  return e;
}

/**
 * Reports only changes made by the user: the toolkit also emits "change" when a value is set from code, so
 * a setter marks itself and the listener compares with the last value it reported.
 */
function guarded<T>(read: () => T, report: (v: T) => void): { fire: () => void; sync: (v: T) => void } {
  let last = read();
  return {
    fire: () => { const v = read(); if (v !== last) { last = v; report(v); } },
    sync: (v: T) => { last = v; },
  };
}

export function textField(o: Base & { value: string; placeholder?: string; onInput: (v: string) => void; size?: number }): Control<string> {
  const f = el<ValueElement>('vscode-text-field', { id: o.id, placeholder: o.placeholder, 'aria-describedby': o.describedBy, size: o.size ? String(o.size) : undefined });
  f.value = o.value;
  f.textContent = o.label;
  const g = guarded(() => f.value, o.onInput);
  f.addEventListener('input', g.fire);
  f.addEventListener('change', g.fire);
  return {
    el: f, focusTarget: f,
    get: () => f.value,
    set: v => { if (f.value !== v) { g.sync(v); f.value = v; } },
    setDisabled: d => { f.disabled = d; },
    setInvalid: i => { f.classList.toggle('invalid', i); f.setAttribute('aria-invalid', String(i)); },
  };
}

export function checkbox(o: Base & { checked: boolean; onChange: (v: boolean) => void }): Control<boolean> {
  const c = el<CheckElement>('vscode-checkbox', { id: o.id, 'aria-describedby': o.describedBy });
  c.checked = o.checked;
  c.textContent = o.label;
  const g = guarded(() => c.checked, o.onChange);
  c.addEventListener('change', g.fire);
  return {
    el: c, focusTarget: c,
    get: () => c.checked,
    set: v => { if (c.checked !== v) { g.sync(v); c.checked = v; } },
    setDisabled: d => { c.disabled = d; },
    setInvalid: i => { c.classList.toggle('invalid', i); c.setAttribute('aria-invalid', String(i)); },
  };
}

/** A select with a visible label above it (the toolkit's dropdown has no label slot). */
export function dropdown(o: Base & { value: string; options: Option[]; onChange: (v: string) => void }): Control<string> {
  const wrap = el<HTMLDivElement>('div', { class: 'dropdown-field' });
  const label = el<HTMLLabelElement>('label', { for: o.id, id: `${o.id}-label` });
  label.textContent = o.label;
  const d = el<ValueElement>('vscode-dropdown', { id: o.id, position: 'below', 'aria-labelledby': `${o.id}-label`, 'aria-describedby': o.describedBy });
  for (const opt of o.options) {
    const option = el<ValueElement>('vscode-option', { value: opt.value });
    option.textContent = opt.label;
    if (opt.value === o.value) option.setAttribute('selected', '');
    d.appendChild(option);
  }
  d.value = o.value;
  const g = guarded(() => d.value, o.onChange);
  d.addEventListener('change', g.fire);
  wrap.append(label, d);
  return {
    el: wrap, focusTarget: d,
    get: () => d.value,
    set: v => { if (d.value !== v) { g.sync(v); d.value = v; } },
    setDisabled: dis => { d.disabled = dis; },
    setInvalid: i => { d.classList.toggle('invalid', i); d.setAttribute('aria-invalid', String(i)); },
  };
}

export function radioGroup(o: Base & { value: string; options: Option[]; onChange: (v: string) => void; vertical?: boolean }): Control<string> {
  const g0 = el<ValueElement>('vscode-radio-group', { id: o.id, orientation: o.vertical ? 'vertical' : 'horizontal', 'aria-describedby': o.describedBy });
  const label = el<HTMLLabelElement>('label', { slot: 'label' });
  label.textContent = o.label;
  g0.appendChild(label);
  for (const opt of o.options) {
    const r = el<ValueElement>('vscode-radio', { value: opt.value, id: `${o.id}-${opt.value}` });
    r.textContent = opt.label;
    if (opt.value === o.value) r.setAttribute('checked', '');
    g0.appendChild(r);
  }
  const g = guarded(() => g0.value, o.onChange);
  g0.addEventListener('change', g.fire);
  return {
    el: g0, focusTarget: g0,
    get: () => g0.value,
    set: v => { if (g0.value !== v) { g.sync(v); g0.value = v; } },
    setDisabled: d => { g0.disabled = d; },
    setInvalid: i => { g0.classList.toggle('invalid', i); g0.setAttribute('aria-invalid', String(i)); },
  };
}

export function button(o: { id?: string; label: string; appearance?: 'primary' | 'secondary'; title?: string; onClick: () => void }): Control<void> {
  const b = el<HTMLElement & { disabled: boolean }>('vscode-button', { id: o.id, appearance: o.appearance ?? 'secondary', title: o.title });
  b.textContent = o.label;
  b.addEventListener('click', () => { if (!b.disabled) o.onClick(); });
  return {
    el: b, focusTarget: b,
    get: () => undefined,
    set: () => undefined,
    setDisabled: d => { b.disabled = d; },
    setInvalid: () => undefined,
  };
}

export function divider(): HTMLElement {
  return el('vscode-divider', { role: 'separator' });
}

/** Tabs: one tab and one panel per entry, arrow keys to move between tabs. */
export function tabs(id: string, entries: { id: string; label: string; content: HTMLElement }[]): HTMLElement {
  const panels = el<HTMLElement>('vscode-panels', { id, 'aria-label': 'Config and scripts' });
  for (const e of entries) {
    const tab = el<HTMLElement>('vscode-panel-tab', { id: `${e.id}-tab` });
    tab.textContent = e.label;
    panels.appendChild(tab);
  }
  for (const e of entries) {
    const view = el<HTMLElement>('vscode-panel-view', { id: `${e.id}-view` });
    view.appendChild(e.content);
    panels.appendChild(view);
  }
  return panels;
}
