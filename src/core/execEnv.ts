// The environment variables of a plan that change what runs (QEFF-EXEC-01), as the runner shows them
// before a run, with a key that changes when any of them changes (a confirmation holds for those values).
import type { Plan } from './plan';
import { printable } from './printable';
import { EXEC_ENV_VARS } from './rules/execEnv';
import type { StageKey } from './types';

export interface ExecEnvVar { stage: StageKey; name: string; value: string }

export function isExecEnvVar(name: string): boolean {
  return EXEC_ENV_VARS.has(name) || name.startsWith('BASH_FUNC_');
}

export function execEnvOf(plan: Plan, stages: readonly StageKey[]): ExecEnvVar[] {
  return plan.stages.filter(s => stages.includes(s.stage))
    .flatMap(s => Object.entries(s.env).filter(([name, value]) => value !== '' && isExecEnvVar(name)).map(([name, value]) => ({ stage: s.stage, name, value })));
}

/** Identifies these exact variables and values: a new value asks again. */
export function execEnvKey(vars: readonly ExecEnvVar[]): string {
  return JSON.stringify(vars.map(v => [v.stage, v.name, v.value]).sort());
}

/** One line per variable, values shown on one line and cut. */
export function describeExecEnv(vars: readonly ExecEnvVar[]): string {
  return vars.map(v => {
    const value = printable(v.value);
    return `${v.name}=${value.length > 200 ? value.slice(0, 200) + '…' : value} (${v.stage})`;
  }).join('\n');
}
