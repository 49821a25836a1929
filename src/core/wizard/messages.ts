// The messages between the wizard webview and the extension: one typed union per direction, imported by
// both bundles. Messages from the webview are validated against schemas/wizard-messages.schema.json (ajv,
// compiled at build time) before the extension reads them; anything else is ignored.
import type { Diagnostic, StageKey } from '../types';
import type { FileCache } from './analysis';
import type { WizardState } from './state';

export type WebviewMessage =
  /** The page loaded; `state` is what it kept with setState (after a reload or when shown again). */
  | { type: 'ready'; state?: WizardState }
  /** Folder picker: the local model directory or the folder of a new config. `folder` is the config's folder. */
  | { type: 'pickFolder'; purpose: 'model' | 'target'; folder: string }
  /** File picker for a stage's node_precision_info. */
  | { type: 'pickNpi'; stage: StageKey; folder: string }
  /** The core asked for these files (NPI files, a local model's config.json): absolute paths. */
  | { type: 'readFiles'; paths: string[] }
  /** Save (and, with run, hand over to export and compile). The extension checks and writes. */
  | { type: 'save'; state: WizardState; run: boolean }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

export interface InitMessage {
  type: 'init';
  state: WizardState;
  /** The state came from the webview itself (restored), not from a command. */
  restored: boolean;
  /** qeffDisagg.exportAndCompile exists: offer "Save and Run". */
  canRun: boolean;
  /** The QEfficient version the editor targets when the config names none (setting or detected). */
  hostVersion: string;
  files: FileCache;
}

export type HostMessage =
  | InitMessage
  | { type: 'picked'; purpose: 'model' | 'target' | 'npi'; stage?: StageKey; value: string; files: FileCache }
  | { type: 'files'; files: FileCache }
  /** Edit in Wizard: the file changed in the editor; its new text is the base of the edits. */
  | { type: 'baseText'; text: string }
  | { type: 'saved'; ok: boolean; cancelled?: boolean; uri?: string; message: string; diagnostics?: Diagnostic[] };

export const WIZARD_VIEW_TYPE = 'qeffDisagg.wizard';
