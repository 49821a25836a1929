// What the step renderers (webview/steps/) need from the wizard: its state, the binding of a control to a
// field, a row with help and diagnostics, and the slots the live updates fill.
import type { Family, Mode, StageKey } from '../src/core/types';
import type { WebviewMessage, WizardChange, WizardState } from '../src/core/wizard';
import type { Control } from './components';
import { vscodeApi } from './vscodeApi';

export interface KvCell { el: HTMLElement; stage: StageKey; mode?: Mode; what: 'slot' | 'total' | 'summary' }

export interface StepHost {
  readonly state: WizardState | undefined;
  readonly hostVersion: string;
  familyNote: HTMLElement | undefined;
  readonly diagSlots: Map<string, HTMLElement>;
  readonly kvCells: KvCell[];
  readonly review: { text?: HTMLElement; scripts: Partial<Record<StageKey, HTMLElement>>; problems?: HTMLElement };
  change(c: WizardChange, structural?: boolean): void;
  bind<T>(field: string, control: Control<T>, read: () => T): Control<T>;
  row(field: string, control: HTMLElement, help?: string, extra?: (HTMLElement | null)[], below?: HTMLElement | null): HTMLElement;
  describedBy(field: string): string;
  family(): Family | undefined;
}

export function post(m: WebviewMessage): void {
  vscodeApi.postMessage(m);
}

/** The folder relative paths are resolved against: the edited file's, else the chosen one. */
export function configFolder(state: WizardState): string {
  if (!state.edit) return state.folder;
  const p = state.edit.path;
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i > 0 ? p.slice(0, i) : p;
}
