// The words and icons of a stage state, a serving state and a run, shared by the view, the lenses and the
// status bar.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { formatBytes } from '../../core/kvMemory';
import type { RunRecord } from '../../core/pipeline/runHistory';
import { servingDescription, type ServingState } from '../../core/pipeline/servingState';
import { formatClock, minutesLeft, type RunningInfo, type StageState } from '../../core/pipeline/stageState';

export const when = (ms: number): string =>
  new Date(ms).toLocaleString(vscode.env.language, { dateStyle: 'short', timeStyle: 'short' });

export function runningText(r: RunningInfo, now = Date.now()): string {
  const step = r.step === 'export' ? vscode.l10n.t('exporting') : vscode.l10n.t('compiling');
  const left = minutesLeft(now - r.startedAt, r.expectedMs);
  return [step, r.phase, formatClock(now - r.startedAt), left === undefined ? undefined : vscode.l10n.t('about {0} min left', left)]
    .filter(Boolean).join(' · ');
}

/** The one-line description of a stage's state. */
export function stateDescription(s: StageState, now = Date.now()): string {
  const changed = (stale: boolean) => (stale ? ' · ' + vscode.l10n.t('config changed since') : '');
  switch (s.kind) {
    case 'notBuilt': return vscode.l10n.t('not built');
    case 'exported': return `${vscode.l10n.t('exported')} · ${when(s.at)}${changed(s.stale)}`;
    case 'compiled': return `${vscode.l10n.t('compiled')} · ${basename(s.qpcPath.replace(/\/qpc$/, ''))} · ${formatBytes(s.programBytes)} · ${when(s.at)}${changed(s.stale)}`;
    case 'manual': return vscode.l10n.t('manual compile needed');
    case 'failed': return `${vscode.l10n.t('failed')}: ${s.message}`;
    case 'running': return runningText(s, now);
  }
}

export function stateIcon(s: StageState): vscode.ThemeIcon {
  switch (s.kind) {
    case 'notBuilt': return new vscode.ThemeIcon('circle-large-outline');
    case 'exported': return new vscode.ThemeIcon('package');
    case 'compiled': return new vscode.ThemeIcon('pass-filled', new vscode.ThemeColor('testing.iconPassed'));
    case 'manual': return new vscode.ThemeIcon('tools', new vscode.ThemeColor('list.warningForeground'));
    case 'failed': return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'running': return new vscode.ThemeIcon('sync~spin');
  }
}

export function outcomeIcon(r: RunRecord): vscode.ThemeIcon {
  switch (r.outcome) {
    case 'exported': case 'compiled': return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    case 'manual': return new vscode.ThemeIcon('tools');
    case 'failed': case 'refused': return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'cancelled': return new vscode.ThemeIcon('circle-slash');
    case 'running': return new vscode.ThemeIcon('sync~spin');
  }
}

export function outcomeText(r: RunRecord): string {
  const words: Record<RunRecord['outcome'], string> = {
    running: vscode.l10n.t('running'), exported: vscode.l10n.t('exported'), compiled: vscode.l10n.t('compiled'),
    manual: vscode.l10n.t('manual compile needed'), failed: vscode.l10n.t('failed'), cancelled: vscode.l10n.t('cancelled'),
    refused: vscode.l10n.t('refused'),
  };
  return words[r.outcome];
}

/** "starting · http://127.0.0.1:8000/v1", "ready · …", "failed: <first error line>". */
export const servingText = (s: ServingState): string =>
  servingDescription(s, { starting: vscode.l10n.t('starting'), ready: vscode.l10n.t('ready'), failed: vscode.l10n.t('failed') });

export function servingIcon(s: ServingState): vscode.ThemeIcon {
  switch (s.phase) {
    case 'starting': return new vscode.ThemeIcon('loading~spin');
    case 'ready': return new vscode.ThemeIcon('radio-tower', new vscode.ThemeColor('testing.iconPassed'));
    case 'failed': return new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed'));
    case 'stopped': return new vscode.ThemeIcon('circle-slash');
  }
}
