// Which documents are qeff configs, and how the core sees their files.
import * as vscode from 'vscode';
import { nodeFileHost } from '../core/nodeFileHost';
import type { CheckOptions, FileHost } from '../core/types';
import { readRuleSettings, type RuleSetting } from '../core/ruleSettings';
import { parseVersion, targetVersionOf } from '../core/version';
import { log } from './log';

export const CONFIG_GLOB = '**/*.qeff.json';
export const CONFIG_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: CONFIG_GLOB },
  { scheme: 'untitled', pattern: CONFIG_GLOB },
  { scheme: 'vscode-vfs', pattern: CONFIG_GLOB },
];

export function isConfigDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.path.endsWith('.qeff.json') && doc.uri.scheme !== 'git' && doc.uri.scheme !== 'output';
}

/** The QEfficient version the runner's probe found in the selected interpreter (undefined: none found). */
let detectedVersion: string | undefined;
export function setDetectedQefficientVersion(v: string | undefined): void {
  detectedVersion = v;
}

/** The target version for configs that pin none, and where it came from (the precedence is targetVersionOf's). */
export function targetVersionInfo(): ReturnType<typeof targetVersionOf> {
  return targetVersionOf(vscode.workspace.getConfiguration('qeffDisagg').get<string>('qefficientVersion'), detectedVersion);
}

export function targetVersion(): string | undefined {
  return targetVersionInfo().version;
}

/** The target version as a new config may pin it (MAJOR.MINOR: a detected "1.22.8.0" fails the schema). */
export function wizardVersion(): string {
  const v = parseVersion(targetVersion());
  return v ? `${v.major}.${v.minor}` : '';
}

/** The `qeffDisagg.rules` setting, checked against the registry; each problem is logged once per change. */
let lastRuleProblems = '';
export function ruleSettings(): ReadonlyMap<string, RuleSetting> {
  const { settings, problems } = readRuleSettings(vscode.workspace.getConfiguration('qeffDisagg').get('rules'));
  const text = problems.join('; ');
  if (text && text !== lastRuleProblems) log().warn(`qeffDisagg.rules: ${text}`);
  lastRuleProblems = text;
  return settings;
}

/** Options for the core; file checks need a local file system, so other schemes get no host. */
export function checkOptions(doc: vscode.TextDocument, host: FileHost = nodeFileHost): CheckOptions {
  const local = doc.uri.scheme === 'file';
  return {
    configPath: local ? doc.uri.fsPath : undefined,
    qefficientVersion: targetVersion(),
    host: local ? host : undefined,
  };
}
