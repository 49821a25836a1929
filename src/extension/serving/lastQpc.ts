// The QPC folder the last compile of each stage produced, per config: "serving" uses it when it names no "qpc".
import type * as vscode from 'vscode';
import type { StageKey } from '../../core/types';

const STATE_KEY = 'qeffDisagg.lastQpc';

type Stored = Record<string, Partial<Record<StageKey, string>>>;

export class LastQpc {
  constructor(private readonly state: vscode.Memento) {}

  get(config: vscode.Uri): Partial<Record<StageKey, string>> {
    return this.state.get<Stored>(STATE_KEY, {})[config.toString()] ?? {};
  }

  async set(config: vscode.Uri, stage: StageKey, qpcPath: string): Promise<void> {
    const all = this.state.get<Stored>(STATE_KEY, {});
    await this.state.update(STATE_KEY, { ...all, [config.toString()]: { ...all[config.toString()], [stage]: qpcPath } });
  }
}
