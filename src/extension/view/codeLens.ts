// CodeLens above each stage object of a config: its mode and KV memory, then Export, Compile and Show
// Script, and Copy / Run / Save when a manual compile command is captured. Above the "serving" section: Serve,
// and while that config is served its phase and endpoint, Send Test Prompt (once ready) and Stop Serving; after
// a failed start the first error line. In an untrusted workspace only the lenses that run nothing.
// provideCodeLenses only parses; the commands are attached in resolveCodeLens.
import * as vscode from 'vscode';
import { lensModel, servingLensOffset } from '../../core/pipeline/lensModel';
import { servingLive } from '../../core/pipeline/servingState';
import type { StageKey } from '../../core/types';
import { checkOptions } from '../configDocuments';
import type { ManualCommands } from '../runner/manualCommands';
import { runningText, servingIcon, servingText } from './stateText';
import type { PipelineModel, ServingSource } from './pipelineModel';

type LensKind = 'info' | 'running' | 'cancel' | 'export' | 'compile' | 'script' | 'copy' | 'run' | 'save'
  | 'serve' | 'serving' | 'testPrompt' | 'stopServing';

class StageLens extends vscode.CodeLens {
  /** stage is undefined on the lenses of the "serving" section. */
  constructor(range: vscode.Range, readonly configUri: vscode.Uri, readonly stage: StageKey | undefined, readonly kind: LensKind, readonly info = '') {
    super(range);
  }
}

export class StageCodeLenses implements vscode.CodeLensProvider<StageLens>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly manual: ManualCommands, private readonly model: PipelineModel, private readonly serving: ServingSource) {
    const fire = () => this.changed.fire();
    this.subscriptions = [
      serving.onDidChangeState(fire),
      // The model changes on run start and end, and each second while a stage runs (its elapsed time).
      model.onDidChange(fire),
      manual.onDidChange(fire),
      vscode.workspace.onDidGrantWorkspaceTrust(fire),
    ];
  }

  provideCodeLenses(doc: vscode.TextDocument): StageLens[] {
    const trusted = vscode.workspace.isTrusted;
    const out: StageLens[] = [];
    for (const s of lensModel(doc.getText(), checkOptions(doc))) {
      const line = doc.positionAt(s.offset).line;
      const range = new vscode.Range(line, 0, line, 0);
      const lens = (kind: LensKind, info = '') => out.push(new StageLens(range, doc.uri, s.stage, kind, info));
      const kv = s.kv ? ` · ${vscode.l10n.t('KV {0}', s.kv)}${s.slots && s.slots > 1 ? ` (${vscode.l10n.t('{0} slots', s.slots)})` : ''}` : '';
      lens('info', `${s.mode ?? vscode.l10n.t('no valid mode')}${kv}`);
      if (!s.mode) continue;
      if (this.model.runningOf(doc.uri, s.stage)) { lens('running'); lens('cancel'); } else if (trusted) { lens('export'); lens('compile'); }
      lens('script');
      const m = this.manual.get(doc.uri, s.stage);
      if (m && !m.compiledAt) {
        lens('copy');
        if (trusted) lens('run');
        lens('save');
      }
    }
    const at = servingLensOffset(doc.getText());
    if (at !== undefined) {
      const line = doc.positionAt(at).line;
      const lens = (kind: LensKind) => out.push(new StageLens(new vscode.Range(line, 0, line, 0), doc.uri, undefined, kind));
      const state = this.serving.state;
      if (servingLive(state, doc.uri.toString())) {
        lens('serving');
        if (state?.phase === 'ready') lens('testPrompt');
        lens('stopServing');
      } else {
        if (state?.phase === 'failed' && state.config === doc.uri.toString()) lens('serving');
        // One session at a time: while another config is served, Serve would only be refused.
        if (trusted && !servingLive(state, state?.config ?? '')) lens('serve');
      }
    }
    return out;
  }

  resolveCodeLens(lens: StageLens): StageLens {
    const args = lens.stage ? [lens.configUri, lens.stage] : [lens.configUri];
    const c = (title: string, command: string, tooltip?: string, withArgs = true): vscode.Command =>
      ({ title, command, tooltip, arguments: withArgs ? args : undefined });
    const running = lens.stage && this.model.runningOf(lens.configUri, lens.stage);
    switch (lens.kind) {
      case 'info': lens.command = c(`$(symbol-enum) ${lens.info}`, '', vscode.l10n.t('Mode and KV-cache memory of this stage'), false); break;
      case 'running': lens.command = c(`$(sync~spin) ${running ? runningText(running) : vscode.l10n.t('running')}`, 'qeffDisagg.showOutput', undefined, false); break;
      case 'cancel': lens.command = c(`$(debug-stop) ${vscode.l10n.t('Cancel')}`, 'qeffDisagg.cancel', undefined, false); break;
      case 'export': lens.command = c(`$(package) ${vscode.l10n.t('Export')}`, 'qeffDisagg.export', vscode.l10n.t('Export this stage to ONNX')); break;
      case 'compile': lens.command = c(`$(gear) ${vscode.l10n.t('Compile')}`, 'qeffDisagg.compile', vscode.l10n.t('Export if needed, then compile this stage')); break;
      case 'script': lens.command = c(`$(file-code) ${vscode.l10n.t('Show Script')}`, 'qeffDisagg.showScript'); break;
      case 'copy': lens.command = c(`$(copy) ${vscode.l10n.t('Copy Command')}`, 'qeffDisagg.copyCompileCommand', vscode.l10n.t('Copy the captured compiler command')); break;
      case 'run': lens.command = c(`$(terminal) ${vscode.l10n.t('Run')}`, 'qeffDisagg.runCompileCommand', vscode.l10n.t('Run the captured compiler command in a terminal')); break;
      case 'save': lens.command = c(`$(save) ${vscode.l10n.t('Save')}`, 'qeffDisagg.saveCompileCommand', vscode.l10n.t('Save the captured compiler command as a script')); break;
      case 'serve': lens.command = c(`$(radio-tower) ${vscode.l10n.t('Serve')}`, 'qeffDisagg.serve', vscode.l10n.t('Start qaic_disagg with this serving section')); break;
      case 'serving': {
        const state = this.serving.state;
        const text = state ? servingText(state) : '';
        lens.command = c(`$(${state ? servingIcon(state).id : 'radio-tower'}) ${text}`, '', state?.model ?? text, false);
        break;
      }
      case 'testPrompt': lens.command = c(`$(comment-discussion) ${vscode.l10n.t('Send Test Prompt')}`, 'qeffDisagg.sendTestPrompt', undefined, false); break;
      case 'stopServing': lens.command = c(`$(debug-stop) ${vscode.l10n.t('Stop Serving')}`, 'qeffDisagg.stopServing', undefined, false); break;
    }
    return lens;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this.changed.dispose();
  }
}
