// Starts the Python driver (or any command) with execa and an argument array, streams its output line by
// line, parses driver events, and cancels by killing the whole process tree (the compiler is a grandchild).
// Node only, no vscode import: unit-tested against the fake QEfficient.
import { randomUUID } from 'node:crypto';
import { execa } from 'execa';
import { EVENT_PREFIX, readEventLine, type DriverEvent } from '../core/runnerProtocol';
import { LineSplitter } from './lineSplitter';
import { runProcesses, signalAll, survivorsOf, type Proc } from './processTree';

export interface DriverRun {
  pid: number | undefined;
  /** Resolves when the process has exited (never rejects). */
  done: Promise<DriverResult>;
  /** Kills the process tree: SIGTERM to every process of the run, SIGKILL after `graceMs`; resolves within
   *  graceMs + 1 s whatever the children do (a child holding the output pipes is not waited for). */
  cancel(graceMs?: number): Promise<DriverResult>;
}

export interface DriverResult {
  exitCode: number | null;
  signal: string | null;
  cancelled: boolean;
  /** Set when the process could not start at all (e.g. the interpreter does not exist). */
  spawnError?: string;
  events: DriverEvent[];
  /** The last lines of stderr, for a one-sentence failure message. */
  stderrTail: string[];
  /** Processes of the run still alive after cancel's SIGKILL (pids), or an output pipe still held. */
  survivors?: number[];
  /** The output pipes were still open after the process exited: a child that escaped holds them. */
  pipesHeld?: boolean;
  /** Events that did not match the protocol's schema, with why (they are not acted on). */
  badEvents?: string[];
}

export interface DriverOptions {
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  onEvent?: (event: DriverEvent) => void;
}

const STDERR_TAIL = 20;
/** An event line is kept whole up to this (a manual_compile's stderr can be long); log lines are cut at 64 KiB. */
const MAX_EVENT_LINE = 16 * 1024 * 1024;
/** After the process exits, how long its output may keep arriving through pipes a child still holds. */
const DRAIN_MS = 2000;
/** Every environment of a run carries this variable, so that cancel finds children that left the group. */
export const RUN_MARKER_VAR = 'QEFF_DISAGG_RUN';

const live = new Set<DriverRun>();

/** Cancels every run still going (deactivate: the probe too) and resolves when all have ended. */
export async function cancelAllRuns(graceMs = 1000): Promise<void> {
  await Promise.all([...live].map(r => r.cancel(graceMs)));
}

// The extension host may exit before a SIGKILL timer fires: kill what is left, synchronously, on exit.
let exitHook = false;
function killOnExit(kill: () => void): () => void {
  if (!exitHook) { exitHook = true; process.once('exit', () => { for (const k of exitKills) k(); }); }
  exitKills.add(kill);
  return () => exitKills.delete(kill);
}
const exitKills = new Set<() => void>();

export function startDriver(opts: DriverOptions): DriverRun {
  const events: DriverEvent[] = [];
  const stderrTail: string[] = [];
  const badEvents: string[] = [];
  const marker = `${RUN_MARKER_VAR}=${randomUUID()}`;
  let cancelled = false;
  const child = execa(opts.command, opts.args, {
    cwd: opts.cwd, env: { ...opts.env, [RUN_MARKER_VAR]: marker.slice(RUN_MARKER_VAR.length + 1) }, extendEnv: true,
    stdin: 'ignore', buffer: false, reject: false, encoding: 'utf8',
    detached: true, // own process group, so cancel reaches the compiler grandchild too
    cleanup: true, windowsHide: true,
  });
  const out = new LineSplitter(line => {
    const parsed = readEventLine(line);
    if (parsed?.ok) { events.push(parsed.event); opts.onEvent?.(parsed.event); } else if (parsed) {
      badEvents.push(parsed.problem);
      opts.onLine?.(`[qeff-disagg] ignored a malformed driver event: ${parsed.problem}`, 'stdout');
    } else opts.onLine?.(line, 'stdout');
  }, undefined, { prefix: EVENT_PREFIX, max: MAX_EVENT_LINE });
  const err = new LineSplitter(line => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
    opts.onLine?.(line, 'stderr');
  });
  child.stdout?.on('data', (d: string | Buffer) => out.push(String(d)));
  child.stderr?.on('data', (d: string | Buffer) => err.push(String(d)));

  let exited: { code: number | null; signal: string | null } | undefined;
  let pipesHeld = false;
  let settle: (r: DriverResult) => void = () => undefined;
  const forced = new Promise<DriverResult>(resolve => { settle = resolve; });
  const result = (exitCode: number | null, signal: string | null, extra: Partial<DriverResult> = {}): DriverResult => {
    out.end();
    err.end();
    return { exitCode, signal, cancelled, events, stderrTail, ...(pipesHeld ? { pipesHeld } : {}), ...(badEvents.length ? { badEvents } : {}), ...extra };
  };
  /** Stops waiting for the pipes: what arrived is kept, the exit status comes from the exit event. */
  const stopWaiting = () => {
    pipesHeld = true;
    child.stdout?.destroy();
    child.stderr?.destroy();
    settle(result(exited?.code ?? null, exited?.signal ?? null));
  };
  let drainTimer: NodeJS.Timeout | undefined;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
    drainTimer = setTimeout(stopWaiting, DRAIN_MS);
    drainTimer.unref();
  });

  const natural: Promise<DriverResult> = child.then(r => {
    const spawnError = r.failed && r.exitCode === undefined && !r.signal ? r.originalMessage ?? r.message : undefined;
    return result(r.exitCode ?? exited?.code ?? null, r.signal ?? exited?.signal ?? null, spawnError ? { spawnError } : {});
  }, (e: Error) => result(null, null, { spawnError: e.message }));
  const done = Promise.race([natural, forced]).then(r => {
    clearTimeout(drainTimer);
    live.delete(run);
    forgetExit();
    return r;
  });

  // Walked before signalling, and again before SIGKILL (children started meanwhile).
  const tree = new Map<number, Proc>();
  const walk = () => { if (child.pid !== undefined) for (const p of runProcesses(child.pid, marker)) tree.set(p.pid, p); };
  const killAll = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try { process.kill(-child.pid, signal); } catch { /* the group is gone */ }
    signalAll([...tree.values()], signal);
  };
  const forgetExit = killOnExit(() => { walk(); killAll('SIGKILL'); });

  let cancelling: Promise<DriverResult> | undefined;
  const run: DriverRun = {
    pid: child.pid,
    done,
    cancel(graceMs = 3000) {
      cancelling ??= (async () => {
        cancelled = true;
        walk();
        killAll('SIGTERM');
        const killTimer = setTimeout(() => { walk(); killAll('SIGKILL'); }, graceMs);
        // Whatever holds the pipes, the run ends by grace + 1 s.
        const giveUp = setTimeout(stopWaiting, graceMs + 500);
        const r = await done;
        clearTimeout(killTimer);
        clearTimeout(giveUp);
        walk();
        killAll('SIGKILL'); // what outlived the driver (e.g. ignoring SIGTERM)
        const survivors = await survivorsOf([...tree.values()], 400);
        return survivors.length ? { ...r, survivors } : r;
      })();
      return cancelling;
    },
  };
  live.add(run);
  return run;
}
