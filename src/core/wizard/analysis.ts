// One pass over the state: the config text, the core's diagnostics on it (mapped to fields), the plan's
// scripts and the wizard's own checks of where the file goes. The webview runs it on every change; the
// extension runs the same check with the real file system before it writes.
import { checkText } from '../check';
import { inferFamily } from '../family';
import { dirname } from '../paths';
import { buildPlan } from '../plan';
import { stageScript } from '../pythonScript';
import type { Diagnostic, Family, FileHost, StageKey } from '../types';
import { configPathOf, configText } from './config';
import { mapDiagnostics, type MappedDiagnostics } from './fields';
import { stageKeys, type WizardState } from './state';

/** Files the extension read for the webview: absolute path -> text, or null when missing or not readable. */
export type FileCache = Record<string, string | null>;

export interface WizardProblem { field: string; message: string }

export interface Analysis {
  text: string;
  configPath: string;
  diagnostics: Diagnostic[];
  mapped: MappedDiagnostics;
  /** Files the core wanted that the cache does not hold yet: ask the extension, then analyse again. */
  missingFiles: string[];
  inferredFamily: Family | undefined;
  scripts: Partial<Record<StageKey, string>>;
  /** Checks of the wizard itself (the file name), not of the config. */
  problems: WizardProblem[];
  /** Save is allowed: no error from the core or the wizard, and every file the check needs was read. */
  canSave: boolean;
}

/** A FileHost over the cache that records what it was asked for and did not have. */
export function cacheHost(files: FileCache, missing: Set<string>): FileHost {
  return {
    readFile(path: string): string | undefined {
      if (Object.prototype.hasOwnProperty.call(files, path)) return files[path] ?? undefined;
      missing.add(path);
      return undefined;
    },
  };
}

export function fileNameProblem(state: WizardState): string | undefined {
  if (state.edit) return undefined;
  const name = state.fileName.trim();
  if (!name) return 'Enter a file name ending in .qeff.json.';
  if (/[\\/]/.test(name)) return 'A file name only: choose the folder with Browse….';
  if (!name.endsWith('.qeff.json') || name === '.qeff.json') return 'The name must end in .qeff.json, so that the editor checks the file.';
  if (!state.folder.trim()) return 'Choose the folder the config goes to.';
  return undefined;
}

export function analyse(state: WizardState, files: FileCache, hostVersion?: string): Analysis {
  const text = configText(state);
  const configPath = configPathOf(state);
  const missing = new Set<string>();
  const host = cacheHost(files, missing);
  const diagnostics = checkText(text, { configPath, qefficientVersion: hostVersion || undefined, host });
  const inferred = state.model.trim() ? inferFamily(state.model.trim(), dirname(configPath), host)?.family : undefined;
  const scripts: Partial<Record<StageKey, string>> = {};
  try {
    const plan = buildPlan(text, { configPath, qefficientVersion: hostVersion || undefined, host });
    for (const k of stageKeys(state.stages)) {
      const script = stageScript(plan, k);
      if (script) scripts[k] = script;
    }
  } catch {
    // No model or no usable stage yet: the diagnostics say why.
  }
  const problems: WizardProblem[] = [];
  const fileProblem = fileNameProblem(state);
  if (fileProblem) problems.push({ field: 'fileName', message: fileProblem });
  const mapped = mapDiagnostics(text, diagnostics);
  return {
    text, configPath, diagnostics, mapped, missingFiles: [...missing], inferredFamily: inferred, scripts, problems,
    canSave: mapped.errors === 0 && problems.length === 0 && missing.size === 0,
  };
}
