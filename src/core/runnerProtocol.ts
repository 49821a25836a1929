// The protocol between the extension and the Python driver (src/runner/qeff_driver.py).
//
// Invocation (argument arrays only):
//   python3 qeff_driver.py probe
//   python3 qeff_driver.py run --request REQUEST.json
// Every driver event is one stdout line: EVENT_PREFIX followed by a JSON object (checked against
// schemas/driver-events.schema.json; a line of any length, see src/node/lineSplitter.ts). Every other stdout or
// stderr line is log text (QEfficient's prints, warnings, tracebacks) and is shown as is.
// Exit codes: 0 done; 3 the compile of a prefill with use_onnx_subfunctions failed as expected, its compiler
// command is to be run by hand (a manual_compile event was sent); 4 QEfficient missing; 1 any other failure (an error event was sent); 2 bad usage or a bad request
// (error kind bad_request). A process killed by a signal or by a native crash (e.g. 139) sends no event.
// The probe reads the SDK under /opt/qti-aic, or under $QEFF_DISAGG_QAIC_ROOT (tests point it at a fake).

import validateEvent from './generated/validateEvent.js';

export const EVENT_PREFIX = '@@qeff-disagg@@ ';

/** The runner's steps, in the order a stage goes through them; the driver's `run` takes one of them. */
export const STEPS = ['export', 'compile'] as const;
export type Step = typeof STEPS[number];

/** The driver's exit codes (EXIT_* in qeff_driver.py, held equal by test/unit/driver.test.ts); a task ends with the same. */
export const EXIT = { ok: 0, failed: 1, usage: 2, manualCompile: 3, noQefficient: 4 } as const;

/** Read from the environment while QEfficient traces GPT-OSS (gpt_oss/modeling_gpt_oss.py, v1.21.0 to main):
 * they come from the stage's env only, never from the shell. Kept equal to TRACE_ENV_VARS in qeff_driver.py. */
export const TRACE_ENV_VARS = ['NUM_Q_BLOCKS', 'NUM_FFN_BLOCKS', 'NUM_BLOCKS', 'ENABLE_OPT_SWA'] as const;

/** The file passed with --request. */
export interface RunRequest {
  protocol: 1;
  model: string;
  stage: 'prefill' | 'decode';
  step: Step;
  mode: string;
  fromPretrained: Record<string, unknown>;
  compile: Record<string, unknown>;
  env: Record<string, string>;
}

export type DriverEvent =
  | { event: 'probe'; python: string; executable: string; platform: string;
      qefficient: { importable: boolean; version: string | null; error?: string; features: Record<string, boolean>; file?: string };
      compiler: { path: string | null; name: string | null };
      sdk: Record<string, string>;
      devices: { available: boolean; count: number | null; raw?: string; error?: string };
      missing: string[] }
  | { event: 'start'; stage: string; step: Step; pid: number; python: string; executable: string }
  | { event: 'phase'; phase: 'environment' | 'import' | 'from_pretrained' | 'export' | 'npi' | 'compile'; message: string }
  /** reused: the ONNX was already traced with the same trace-time env (nothing traced this time). */
  | { event: 'exported'; onnxPath: string; reused?: boolean }
  /** onnxPath: the ONNX this QPC was compiled from. */
  | { event: 'compiled'; qpcPath: string; onnxPath?: string }
  /** exitcode null and stderr '' when the failure text did not carry them. */
  | { event: 'manual_compile'; argv: string[]; qpcDir: string | null; exitcode: number | null; stderr: string; source: 'CalledProcessError' | 'message' }
  /** compile_failed carries the compiler command (argv, qpcDir) so that it can be copied. */
  | { event: 'error'; kind: 'no_qefficient' | 'bad_request' | 'exception' | 'compile_failed' | 'npi_mismatch'; message: string;
      traceback?: string; argv?: string[]; qpcDir?: string | null };

type Validator = ((v: unknown) => boolean) & { errors?: { instancePath: string; message?: string }[] | null };

/** An event line read: a valid event, or why the line starting with EVENT_PREFIX is not one; undefined for
 *  a log line. Each event is checked against schemas/driver-events.schema.json (a new event type needs its
 *  definition there): a driver, a QEfficient print or a child that writes the prefix cannot hand the
 *  extension a path that is a number or an argv that is not a list. */
export function readEventLine(line: string): { ok: true; event: DriverEvent } | { ok: false; problem: string } | undefined {
  if (!line.startsWith(EVENT_PREFIX)) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(line.slice(EVENT_PREFIX.length));
  } catch (e) {
    return { ok: false, problem: `not JSON (${(e as Error).message})` };
  }
  const validate = validateEvent as unknown as Validator;
  if (validate(v)) return { ok: true, event: v as DriverEvent };
  const err = validate.errors?.[0];
  const name = v && typeof v === 'object' && typeof (v as { event?: unknown }).event === 'string' ? `"${(v as { event: string }).event}" ` : '';
  return { ok: false, problem: `${name}event${err ? ` ${err.instancePath || '/'} ${err.message ?? 'is invalid'}` : ' is invalid'}` };
}

/** The valid event on this line, else undefined. */
export function parseEventLine(line: string): DriverEvent | undefined {
  const r = readEventLine(line);
  return r?.ok ? r.event : undefined;
}
