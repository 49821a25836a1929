// The serving state of a config shown in the view and the lenses: which config qaic_disagg serves, its
// endpoint and its phase, moved by the session's events (start → ready; an exit of its own or no answer in time →
// failed; Stop → stopped, which the view shows as nothing). No vscode import; the words come from the caller (l10n).
export type ServingPhase = 'starting' | 'ready' | 'failed' | 'stopped';

export interface ServingState {
  /** The config's URI as a string. */
  config: string;
  /** The OpenAI-compatible base URL, `http://127.0.0.1:<port>/v1`. */
  endpoint: string;
  phase: ServingPhase;
  /** The served model, once GET /v1/models answered. */
  model?: string;
  /** For failed: the launcher's first error line (or how it exited). */
  message?: string;
  at: number;
}

export type ServingEvent =
  | { type: 'start'; config: string; port: number; at: number }
  | { type: 'ready'; model?: string; at: number }
  /** The launcher exited without a Stop: its last output lines and how it ended ("code 2", "signal SIGKILL"). */
  | { type: 'exit'; tail: readonly string[]; how: string; at: number }
  /** The launcher did not answer in time: the session stops it and says so. */
  | { type: 'timeout'; message: string; at: number }
  /** keepFailure: a stop that follows a failure (the session's own, after a timeout) leaves the failure shown. */
  | { type: 'stop'; keepFailure?: boolean; at: number };

/** The endpoint qaic_disagg's API serves on (the session waits on GET <endpoint>/models). */
export const servingEndpoint = (port: number): string => `http://127.0.0.1:${port}/v1`;

export function nextServingState(s: ServingState | undefined, e: ServingEvent): ServingState | undefined {
  switch (e.type) {
    case 'start': return { config: e.config, endpoint: servingEndpoint(e.port), phase: 'starting', at: e.at };
    case 'ready': return s?.phase === 'starting' ? { ...s, phase: 'ready', model: e.model, at: e.at } : s;
    case 'exit': return s && (s.phase === 'starting' || s.phase === 'ready')
      ? { ...s, phase: 'failed', message: firstErrorLine(e.tail) ?? `exited (${e.how})`, at: e.at }
      : s;
    case 'timeout': return s?.phase === 'starting' ? { ...s, phase: 'failed', message: e.message, at: e.at } : s;
    case 'stop': return s && s.phase !== 'stopped' && !(e.keepFailure && s.phase === 'failed') ? { ...s, phase: 'stopped', at: e.at } : s;
  }
}

/** Whether the view and the lenses show the state (Stop Serving makes it go away). */
export const servingShown = (s: ServingState | undefined): s is ServingState => !!s && s.phase !== 'stopped';

/** Whether a session of the config is starting or serving (Stop Serving and the endpoint apply to it). */
export const servingLive = (s: ServingState | undefined, config: string): boolean =>
  !!s && s.config === config && (s.phase === 'starting' || s.phase === 'ready');

const MAX_MESSAGE = 200;
// Python's logging levels and argparse's "prog: error: …" and an exception's last line ("ValueError: …").
const ERROR_LINE = /\b(error|fatal|critical)\b|\w(Error|Exception):/i;

/**
 * The line that says why the launcher failed: the first that reads as an error (not the "Traceback" header),
 * else the last non-empty one; undefined without output.
 */
export function firstErrorLine(tail: readonly string[]): string | undefined {
  const lines = tail.map(l => l.trim()).filter(Boolean);
  const line = lines.find(l => ERROR_LINE.test(l) && !l.startsWith('Traceback')) ?? lines.at(-1);
  return line && (line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE - 1)}…` : line);
}

export type ServingWords = Record<'starting' | 'ready' | 'failed', string>;

/** The one-line description of the serving row: "starting · <endpoint>", "ready · <endpoint>", "failed: <line>". */
export function servingDescription(s: ServingState, words: ServingWords): string {
  switch (s.phase) {
    case 'starting': case 'ready': return `${words[s.phase]} · ${s.endpoint}`;
    case 'failed': return `${words.failed}: ${s.message ?? ''}`;
    case 'stopped': return '';
  }
}
