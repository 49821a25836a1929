// Starts the Python driver (or any command) with execa and an argument array, streams its output line by
// line, parses driver events, and cancels by killing the whole process group (the compiler is a grandchild).
// Node only, no vscode import: unit-tested against the fake QEfficient.
import { execa } from 'execa';
import { parseEventLine, type DriverEvent } from '../core/runnerProtocol';
import { LineSplitter } from './lineSplitter';

export interface DriverRun {
  pid: number | undefined;
  /** Resolves when the process has exited (never rejects). */
  done: Promise<DriverResult>;
  /** Kills the process tree: SIGTERM to the group, SIGKILL after `graceMs`; resolves when it has exited. */
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

export function startDriver(opts: DriverOptions): DriverRun {
  const events: DriverEvent[] = [];
  const stderrTail: string[] = [];
  let cancelled = false;
  const child = execa(opts.command, opts.args, {
    cwd: opts.cwd, env: opts.env, extendEnv: true,
    stdin: 'ignore', buffer: false, reject: false, encoding: 'utf8',
    detached: true, // own process group, so cancel reaches the compiler grandchild too
    cleanup: true, windowsHide: true,
  });
  const out = new LineSplitter(line => {
    const ev = parseEventLine(line);
    if (ev) { events.push(ev); opts.onEvent?.(ev); } else opts.onLine?.(line, 'stdout');
  });
  const err = new LineSplitter(line => {
    stderrTail.push(line);
    if (stderrTail.length > STDERR_TAIL) stderrTail.shift();
    opts.onLine?.(line, 'stderr');
  });
  child.stdout?.on('data', (d: string | Buffer) => out.push(String(d)));
  child.stderr?.on('data', (d: string | Buffer) => err.push(String(d)));

  const done: Promise<DriverResult> = child.then(r => {
    out.end();
    err.end();
    const spawnError = r.failed && r.exitCode === undefined && !r.signal ? r.originalMessage ?? r.message : undefined;
    return { exitCode: r.exitCode ?? null, signal: r.signal ?? null, cancelled, events, stderrTail, ...(spawnError ? { spawnError } : {}) };
  }, (e: Error) => ({ exitCode: null, signal: null, cancelled, events, stderrTail, spawnError: e.message }));

  const killGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined) return;
    try { process.kill(-child.pid, signal); } catch { /* the group is gone */ }
  };

  return {
    pid: child.pid,
    done,
    async cancel(graceMs = 3000) {
      cancelled = true;
      killGroup('SIGTERM');
      const timer = setTimeout(() => killGroup('SIGKILL'), graceMs);
      const result = await done;
      clearTimeout(timer);
      killGroup('SIGKILL'); // grandchildren that outlived the driver (e.g. ignoring SIGTERM)
      return result;
    },
  };
}
