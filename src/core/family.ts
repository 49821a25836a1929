// Family inference: from the hub id, else from a local model directory's config.json.
import { parse as parseJsonc } from 'jsonc-parser';
import { resolvePath } from './paths';
import type { Family, FileHost } from './types';

export interface InferredFamily { family: Family; source: 'model id' | 'config.json' }

export function familyFromModelId(model: string): Family | undefined {
  const m = model.toLowerCase();
  if (m.includes('gpt-oss-120b')) return 'gpt-oss-120b';
  if (m.includes('gpt-oss-20b')) return 'gpt-oss-20b';
  return undefined;
}

export function familyFromExperts(n: unknown): Family | undefined {
  return n === 32 ? 'gpt-oss-20b' : n === 128 ? 'gpt-oss-120b' : undefined;
}

export function inferFamily(model: string, configDir: string | undefined, host: FileHost | undefined): InferredFamily | undefined {
  const byId = familyFromModelId(model);
  if (byId) return { family: byId, source: 'model id' };
  if (!host || model.trim() === '') return undefined;
  const dir = configDir ? resolvePath(configDir, model) : model;
  const text = host.readFile(resolvePath(dir, 'config.json'));
  if (text === undefined) return undefined;
  try {
    const cfg = parseJsonc(text) as Record<string, unknown> | undefined;
    const family = familyFromExperts(cfg?.num_local_experts ?? cfg?.experts_per_token);
    return family ? { family, source: 'config.json' } : undefined;
  } catch {
    return undefined;
  }
}
