// One stage, one step (export or compile) of one config: refuse on config errors, build the plan with the
// core, write the driver's request file, run the driver in its own process and report the outcome.
// Shared by the commands (with a progress notification) and the tasks (in a pseudoterminal).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { checkText } from '../../core/check';
import { buildPlan } from '../../core/plan';
import { EXIT, type DriverEvent, type RunRequest, type Step } from '../../core/runnerProtocol';
import type { StageKey } from '../../core/types';
import { startDriver, type DriverResult } from '../../node/driverProcess';
import { checkOptions } from '../configDocuments';
import { resolveInterpreter } from './interpreter';

export interface StageRunOptions {
  configUri: vscode.Uri;
  stage: StageKey;
  step: Step;
  driverPath: string;
  onLine(line: string): void;
  onEvent?(event: DriverEvent): void;
  token?: vscode.CancellationToken;
}

export type Outcome =
  | { kind: 'refused'; message: string }
  /** reused: the ONNX was traced before with the same trace-time env; nothing was traced this time. */
  | { kind: 'exported'; onnxPath: string; reused: boolean }
  /** onnxPath: the ONNX the QPC was compiled from (the one the export step reports). */
  | { kind: 'compiled'; qpcPath: string; onnxPath?: string }
  | { kind: 'manual'; argv: string[]; qpcDir: string | null }
  | { kind: 'cancelled'; survivors?: number[]; pipesHeld?: boolean }
  /** argv: the compiler command, when the compiler itself failed (it can be copied). */
  | { kind: 'failed'; message: string; noQefficient?: boolean; noPython?: boolean; argv?: string[]; qpcDir?: string | null };


/** Why a config cannot run (not local, or errors, named by code), or undefined when it can. */
export async function refusalOf(configUri: vscode.Uri): Promise<string | undefined> {
  if (configUri.scheme !== 'file') return vscode.l10n.t('Export and compile need a config on the local file system.');
  const doc = await vscode.workspace.openTextDocument(configUri);
  const errors = checkText(doc.getText(), checkOptions(doc)).filter(d => d.severity === 'error');
  if (!errors.length) return undefined;
  const codes = [...new Set(errors.map(d => d.code))].join(', ');
  return vscode.l10n.t('The config has {0} error(s) ({1}): fix them before running, see the Problems panel.', errors.length, codes);
}

export async function runStage(o: StageRunOptions): Promise<Outcome> {
  const refusal = await refusalOf(o.configUri);
  if (refusal) return { kind: 'refused', message: refusal };
  const doc = await vscode.workspace.openTextDocument(o.configUri);
  const text = doc.getText();
  const options = checkOptions(doc);
  const plan = buildPlan(text, options);
  const stage = plan.stages.find(s => s.stage === o.stage);
  if (!stage) return { kind: 'refused', message: vscode.l10n.t('The config has no "{0}" stage.', o.stage) };
  const request: RunRequest = {
    protocol: 1, model: plan.model, stage: o.stage, step: o.step, mode: stage.mode,
    fromPretrained: stage.fromPretrained, compile: stage.compile, env: stage.env,
  };
  const interpreter = await resolveInterpreter(o.configUri);
  const dir = await mkdtemp(join(tmpdir(), 'qeff-disagg-'));
  const requestPath = join(dir, 'request.json');
  await writeFile(requestPath, JSON.stringify(request, null, 2));
  o.onLine(`$ ${interpreter.path} -u ${o.driverPath} run --request ${requestPath}   (${o.stage} ${o.step}, ${stage.mode})`);
  const run = startDriver({
    command: interpreter.path,
    args: ['-u', o.driverPath, 'run', '--request', requestPath],
    cwd: dirname(o.configUri.fsPath),
    // The stage's env goes on the process too: QEfficient reads it while tracing, in this process only. The
    // trace-time variables the stage does not declare are removed by the driver before QEfficient is imported.
    env: { ...stage.env, PYTHONUNBUFFERED: '1' },
    onLine: line => o.onLine(line),
    onEvent: ev => o.onEvent?.(ev),
  });
  const sub = o.token?.onCancellationRequested(() => void run.cancel());
  let result: DriverResult;
  try {
    result = await run.done;
  } finally {
    sub?.dispose();
    await rm(dir, { recursive: true, force: true });
  }
  return outcomeOf(result, interpreter.path, o.stage, o.step);
}

function outcomeOf(r: DriverResult, python: string, stage: StageKey, step: Step): Outcome {
  if (r.cancelled) return { kind: 'cancelled', ...(r.survivors ? { survivors: r.survivors } : {}), ...(r.pipesHeld ? { pipesHeld: true } : {}) };
  const find = <K extends DriverEvent['event']>(k: K) => r.events.find(e => e.event === k) as Extract<DriverEvent, { event: K }> | undefined;
  if (r.spawnError) {
    return { kind: 'failed', noPython: true, message: vscode.l10n.t('Python "{0}" could not be started ({1}): select a Python interpreter with QEfficient installed.', python, r.spawnError.split('\n')[0]) };
  }
  const manual = find('manual_compile');
  if (manual) return { kind: 'manual', argv: manual.argv, qpcDir: manual.qpcDir };
  const exported = find('exported');
  if (r.exitCode === EXIT.ok && exported && step === 'export') return { kind: 'exported', onnxPath: exported.onnxPath, reused: exported.reused === true };
  const compiled = find('compiled');
  if (r.exitCode === EXIT.ok && compiled) return { kind: 'compiled', qpcPath: compiled.qpcPath, onnxPath: compiled.onnxPath };
  const error = find('error');
  if (error?.kind === 'no_qefficient' || r.exitCode === EXIT.noQefficient) {
    return { kind: 'failed', noQefficient: true, message: vscode.l10n.t('QEfficient is not installed for {0}: install it in that environment or select another interpreter.', python) };
  }
  const what = `${stage} ${step}`;
  if (error?.kind === 'compile_failed' && error.argv) {
    return { kind: 'failed', message: vscode.l10n.t('The {0} failed: {1}', what, error.message.split('\n')[0]), argv: error.argv, qpcDir: error.qpcDir ?? null };
  }
  if (error) return { kind: 'failed', message: vscode.l10n.t('The {0} failed: {1}', what, error.message.split('\n')[0]) };
  if (r.signal) return { kind: 'failed', message: vscode.l10n.t('The {0} was killed by {1}.', what, r.signal) };
  if (r.exitCode !== null && r.exitCode > 128) return { kind: 'failed', message: vscode.l10n.t('The {0} crashed (exit code {1}).', what, r.exitCode) };
  const last = r.stderrTail.filter(l => l.trim()).pop();
  return { kind: 'failed', message: vscode.l10n.t('The {0} failed (exit code {1}){2}', what, String(r.exitCode), last ? `: ${last}` : '.') };
}
