// The extension's messages to the wizard: init (the state to show, after the page said ready), files it read,
// what the user picked in a dialog, the edited file's new text, and the outcome of a save.
import { markSaved, paramField, type FileCache, type HostMessage, type InitMessage, type WizardChange, type WizardState } from '../src/core/wizard';

/** What the messages change in the wizard. */
export interface HostMessageTarget {
  state: WizardState | undefined;
  readonly files: FileCache;
  init(m: InitMessage): void;
  change(c: WizardChange, structural?: boolean): void;
  persist(): void;
  refresh(): void;
  focusField(field: string): void;
  savedOutcome(m: { ok: boolean; cancelled?: boolean; message: string }): void;
}

export function onHostMessage(app: HostMessageTarget, m: HostMessage): void {
  if (!m || typeof m !== 'object') return;
  switch (m.type) {
    case 'init':
      app.init(m);
      return;
    case 'picked':
      Object.assign(app.files, m.files);
      if (m.purpose === 'model') {
        if (app.state?.modelSource !== 'local') app.change({ kind: 'modelSource', value: 'local' }, true);
        app.change({ kind: 'model', value: m.value });
      } else if (m.purpose === 'target') app.change({ kind: 'folder', value: m.value });
      else if (m.stage) app.change({ kind: 'param', stage: m.stage, name: 'node_precision_info', value: m.value });
      app.focusField(m.purpose === 'npi' && m.stage ? paramField(m.stage, 'node_precision_info') : m.purpose === 'model' ? 'model' : 'folder');
      return;
    case 'files':
      Object.assign(app.files, m.files);
      app.refresh();
      return;
    case 'baseText':
      if (app.state?.edit) {
        app.state = { ...app.state, edit: { ...app.state.edit, baseText: m.text } };
        app.persist();
        app.refresh();
      }
      return;
    case 'saved':
      if (m.ok && app.state?.edit) {
        // The file now says what the wizard says: later changes are measured from here.
        app.state = markSaved(app.state);
        app.persist();
      }
      app.savedOutcome(m);
      return;
  }
}
