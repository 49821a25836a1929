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

/** A form control: its element (to place in the page), its shown value, and focus. */
export interface Control<T> {
  el: HTMLElement;
  /** The element that takes the keyboard focus. */
  focusTarget: HTMLElement;
  /** Sets the shown value without reporting a change. */
  set(value: T): void;
  setDisabled(disabled: boolean): void;
  setInvalid(invalid: boolean): void;
}

export interface Option { value: string; label: string }

interface Base { id: string; label: string; describedBy?: string }

type ToolkitElement = HTMLElement & { disabled: boolean };
type ValueElement = ToolkitElement & { value: string };
type CheckElement = ToolkitElement & { checked: boolean };

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

/**
 * The Control of a toolkit element whose shown value is read by `read` and written by `write`: changes by
 * the user are reported (on `events`), values set from code are not. Invalid is our own class and
 * aria-invalid on the element; wizard.css styles the class, never the toolkit's parts.
 */
function valueControl<T>(host: HTMLElement, target: ToolkitElement, read: () => T, write: (v: T) => void,
  report: (v: T) => void, events: readonly string[]): Control<T> {
  const g = guarded(read, report);
  for (const e of events) target.addEventListener(e, g.fire);
  return {
    el: host, focusTarget: target,
    set: v => { if (read() !== v) { g.sync(v); write(v); } },
    setDisabled: d => { target.disabled = d; },
    setInvalid: i => { target.classList.toggle('invalid', i); target.setAttribute('aria-invalid', String(i)); },
  };
}

export function textField(o: Base & { value: string; placeholder?: string; onInput: (v: string) => void; size?: number }): Control<string> {
  const f = el<ValueElement>('vscode-text-field', { id: o.id, class: 'qd-control qd-text', placeholder: o.placeholder, 'aria-describedby': o.describedBy, size: o.size ? String(o.size) : undefined });
  f.value = o.value;
  f.textContent = o.label;
  return valueControl(f, f, () => f.value, v => { f.value = v; }, o.onInput, ['input', 'change']);
}

export function checkbox(o: Base & { checked: boolean; onChange: (v: boolean) => void }): Control<boolean> {
  const c = el<CheckElement>('vscode-checkbox', { id: o.id, class: 'qd-control qd-check', 'aria-describedby': o.describedBy });
  c.checked = o.checked;
  c.textContent = o.label;
  return valueControl(c, c, () => c.checked, v => { c.checked = v; }, o.onChange, ['change']);
}

/** A select with a visible label above it (the toolkit's dropdown has no label slot). */
export function dropdown(o: Base & { value: string; options: Option[]; onChange: (v: string) => void }): Control<string> {
  const wrap = el<HTMLDivElement>('div', { class: 'dropdown-field' });
  const label = el<HTMLLabelElement>('label', { for: o.id, id: `${o.id}-label` });
  label.textContent = o.label;
  const d = el<ValueElement>('vscode-dropdown', { id: o.id, class: 'qd-control qd-select', position: 'below', 'aria-labelledby': `${o.id}-label`, 'aria-describedby': o.describedBy });
  for (const opt of o.options) {
    const option = el<ValueElement>('vscode-option', { value: opt.value });
    option.textContent = opt.label;
    if (opt.value === o.value) option.setAttribute('selected', '');
    d.appendChild(option);
  }
  d.value = o.value;
  wrap.append(label, d);
  return valueControl(wrap, d, () => d.value, v => { d.value = v; }, o.onChange, ['change']);
}

export function radioGroup(o: Base & { value: string; options: Option[]; onChange: (v: string) => void; vertical?: boolean }): Control<string> {
  const g0 = el<ValueElement>('vscode-radio-group', { id: o.id, class: 'qd-control qd-radios', orientation: o.vertical ? 'vertical' : 'horizontal', 'aria-describedby': o.describedBy });
  const label = el<HTMLLabelElement>('label', { slot: 'label' });
  label.textContent = o.label;
  g0.appendChild(label);
  for (const opt of o.options) {
    const r = el<ValueElement>('vscode-radio', { value: opt.value, id: `${o.id}-${opt.value}` });
    r.textContent = opt.label;
    if (opt.value === o.value) r.setAttribute('checked', '');
    g0.appendChild(r);
  }
  return valueControl(g0, g0, () => g0.value, v => { g0.value = v; }, o.onChange, ['change']);
}

export function button(o: { id?: string; label: string; appearance?: 'primary' | 'secondary'; title?: string; onClick: () => void }): Control<void> {
  const b = el<HTMLElement & { disabled: boolean }>('vscode-button', { id: o.id, appearance: o.appearance ?? 'secondary', title: o.title });
  b.textContent = o.label;
  b.addEventListener('click', () => { if (!b.disabled) o.onClick(); });
  return {
    el: b, focusTarget: b,
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
    const view = el<HTMLElement>('vscode-panel-view', { id: `${e.id}-view`, class: 'qd-tab-panel' });
    view.appendChild(e.content);
    panels.appendChild(view);
  }
  return panels;
}
