// Which documents are qeff configs, and how the core sees their files.
import * as vscode from 'vscode';
import { nodeFileHost } from '../core/nodeFileHost';
import type { CheckOptions, FileHost } from '../core/types';

export const CONFIG_GLOB = '**/*.qeff.json';
export const CONFIG_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: CONFIG_GLOB },
  { scheme: 'untitled', pattern: CONFIG_GLOB },
  { scheme: 'vscode-vfs', pattern: CONFIG_GLOB },
];

export function isConfigDocument(doc: vscode.TextDocument): boolean {
  return doc.uri.path.endsWith('.qeff.json') && doc.uri.scheme !== 'git' && doc.uri.scheme !== 'output';
}

/** The target QEfficient version when the config pins none: the setting (the runner's probe may override). */
let detectedVersion: string | undefined;
export function setDetectedQefficientVersion(v: string | undefined): void {
  detectedVersion = v;
}

export function targetVersion(): string | undefined {
  const setting = vscode.workspace.getConfiguration('qeffDisagg').get<string>('qefficientVersion')?.trim();
  return detectedVersion ?? (setting || undefined);
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
