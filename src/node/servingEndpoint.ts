// Talking to a served OpenAI-compatible API (qaic_disagg's router): wait until it answers, stream a test chat
// completion, and tell whether a port is free again. Node only, no vscode import: unit-tested against the
// qaic_disagg test double.
import { createServer } from 'node:net';

export type ReadyOutcome = { kind: 'ready'; models: string[] } | { kind: 'exited' } | { kind: 'timeout' } | { kind: 'aborted' };

export interface WaitOptions {
  /** Settles when the launcher has exited: waiting stops then. */
  exited: Promise<unknown>;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
}

/** Polls GET <base>/v1/models until it answers 200 with a model list (vLLM answers only once every runtime is up). */
export async function waitUntilReady(base: string, opts: WaitOptions): Promise<ReadyOutcome> {
  let exited = false;
  void opts.exited.then(() => { exited = true; });
  const end = Date.now() + opts.timeoutMs;
  while (!exited) {
    if (opts.signal?.aborted) return { kind: 'aborted' };
    if (Date.now() > end) return { kind: 'timeout' };
    const models = await listModels(base);
    if (models) return { kind: 'ready', models };
    await new Promise(r => setTimeout(r, opts.intervalMs ?? 500));
  }
  return { kind: 'exited' };
}

async function listModels(base: string): Promise<string[] | undefined> {
  try {
    const res = await fetch(`${base}/v1/models`, { signal: AbortSignal.timeout(5000) });
    if (!res.ok) return undefined;
    const body = await res.json() as { data?: { id?: unknown }[] };
    return Array.isArray(body.data) ? body.data.map(m => String(m.id)) : undefined;
  } catch {
    return undefined; // not listening yet
  }
}

export interface PromptResult {
  text: string;
  /** From sending the request to the first content chunk. */
  ttftMs: number;
  /** Content chunks streamed (vLLM sends one per generated token). */
  tokens: number;
  /** Tokens after the first, per second of the time after the first. */
  tokensPerSecond: number | undefined;
  totalMs: number;
}

/** POSTs a streamed chat completion and reads the server-sent events. */
export async function streamChat(base: string, model: string, prompt: string, maxTokens = 64, onText?: (t: string) => void): Promise<PromptResult> {
  const t0 = performance.now();
  const res = await fetch(`${base}/v1/chat/completions`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens, stream: true }),
    signal: AbortSignal.timeout(10 * 60_000),
  });
  if (!res.ok || !res.body) throw new Error(`POST /v1/chat/completions answered ${res.status} ${res.statusText}: ${(await res.text()).slice(0, 500)}`);
  let text = '';
  let tokens = 0;
  let first: number | undefined;
  let last = t0;
  let pending = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    pending += decoder.decode(chunk, { stream: true });
    const events = pending.split('\n\n');
    pending = events.pop() ?? '';
    for (const ev of events) {
      const data = ev.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trim()).join('');
      if (!data || data === '[DONE]') continue;
      const delta = (JSON.parse(data) as { choices?: { delta?: { content?: string } }[] }).choices?.[0]?.delta?.content;
      if (!delta) continue;
      last = performance.now();
      first ??= last;
      tokens++;
      text += delta;
      onText?.(delta);
    }
  }
  const ttftMs = (first ?? last) - t0;
  const decodeMs = first === undefined ? 0 : last - first;
  return { text, ttftMs, tokens, tokensPerSecond: tokens > 1 && decodeMs > 0 ? (tokens - 1) / (decodeMs / 1000) : undefined, totalMs: performance.now() - t0 };
}

/** True when nothing listens on the port (binding it succeeds). */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '0.0.0.0', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Polls until the port is free or the time is up. */
export async function waitPortFree(port: number, timeoutMs: number): Promise<boolean> {
  for (const end = Date.now() + timeoutMs; ; await new Promise(r => setTimeout(r, 200))) {
    if (await isPortFree(port)) return true;
    if (Date.now() > end) return false;
  }
}
