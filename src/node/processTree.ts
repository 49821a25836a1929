// The processes of one run, found through /proc before they are signalled: the descendants of the driver,
// its process group, and anything carrying the run's marker in its environment (a child that called
// setsid and whose parent exited is no one's descendant and in no group of ours, but keeps the variable).
// Linux only; elsewhere the process group is all there is.
import { readdirSync, readFileSync } from 'node:fs';

export interface Proc { pid: number; ppid: number; pgrp: number; start: string; state: string }

/** The fields of /proc/PID/stat, read after the last ')' (the command name may hold spaces and parens). */
function stat(pid: number): Proc | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // f[0] is field 3 (state): ppid is field 4, pgrp 5, starttime 22.
    return { pid, state: f[0], ppid: Number(f[1]), pgrp: Number(f[2]), start: f[19] };
  } catch {
    return undefined;
  }
}

function hasMarker(pid: number, marker: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(marker);
  } catch {
    return false;
  }
}

function allPids(): number[] {
  try {
    return readdirSync('/proc').filter(n => /^\d+$/.test(n)).map(Number);
  } catch {
    return [];
  }
}

/** Every live process of the run rooted at `root` (itself included), walked before anything is killed. */
export function runProcesses(root: number, marker?: string): Proc[] {
  const procs = allPids().filter(p => p !== process.pid).map(stat).filter((p): p is Proc => !!p && p.state !== 'Z');
  const children = new Map<number, Proc[]>();
  for (const p of procs) {
    const list = children.get(p.ppid);
    if (list) list.push(p); else children.set(p.ppid, [p]);
  }
  const found = new Map<number, Proc>();
  const queue = procs.filter(p => p.pid === root || p.pgrp === root || (marker !== undefined && hasMarker(p.pid, marker)));
  while (queue.length) {
    const p = queue.pop()!;
    if (found.has(p.pid)) continue;
    found.set(p.pid, p);
    queue.push(...(children.get(p.pid) ?? []));
  }
  return [...found.values()];
}

/** True while the same process (same start time: pids are reused) exists and is not a zombie. */
export function stillAlive(p: Proc): boolean {
  const now = stat(p.pid);
  return !!now && now.start === p.start && now.state !== 'Z';
}

/** Sends `signal` to each process; a process that is gone already is no error. */
export function signalAll(procs: readonly Proc[], signal: NodeJS.Signals): void {
  for (const p of procs) {
    if (!stillAlive(p)) continue;
    try { process.kill(p.pid, signal); } catch { /* gone, or not ours */ }
  }
}

/** The pids of the processes still alive `withinMs` after SIGKILL (a kill is not instant), for the user. */
export async function survivorsOf(procs: readonly Proc[], withinMs: number): Promise<number[]> {
  let left = procs.filter(stillAlive);
  for (let waited = 0; left.length && waited < withinMs; waited += 50) {
    await new Promise(r => setTimeout(r, 50));
    left = left.filter(stillAlive);
  }
  return left.map(p => p.pid);
}
