// QEFF-EXEC-01: environment variables that change what runs. A stage's `env` is set on the exporting Python
// process and inherited by everything it starts (the compiler too): these variables make that process load
// other code than the user's Python and QEfficient. Legitimate uses exist (a library path for an SDK), so
// this is a warning, and the runner shows it before a run starts. An empty value clears the variable and adds
// nothing: not reported.
import { props } from '../jsonNodes';
import type { RuleContext } from '../ruleContext';

/** Variable -> what it makes the processes of a run do. Chosen for code execution or code lookup, not tuning. */
export const EXEC_ENV_VARS: ReadonlyMap<string, string> = new Map([
  // The dynamic loader (ld.so(8)): every program of the run.
  ['LD_PRELOAD', 'loads the named shared libraries into every program of the run, before their own code'],
  ['LD_AUDIT', 'loads the named auditing libraries into every program of the run'],
  ['LD_LIBRARY_PATH', 'makes every program of the run look for its shared libraries in these folders first'],
  ['GCONV_PATH', 'makes glibc load character-conversion modules (shared libraries) from these folders'],
  // Python (python(1), "Environment variables").
  ['PYTHONPATH', 'puts these folders before the installed packages: a module there replaces QEfficient, torch or any import'],
  ['PYTHONHOME', 'makes Python load its standard library from another installation'],
  ['PYTHONUSERBASE', 'makes Python import user site-packages (and their .pth files, which run code) from this folder'],
  ['PYTHONPLATLIBDIR', 'changes where Python looks for its platform library'],
  ['PYTHONSTARTUP', 'runs this Python file when an interactive prompt starts (with PYTHONINSPECT, after the driver)'],
  ['PYTHONINSPECT', 'drops into an interactive Python prompt after the driver ends, instead of exiting'],
  ['PYTHONBREAKPOINT', 'imports and calls the named function at every breakpoint() call'],
  ['PYTHONWARNINGS', 'can name a warning category by module, which Python then imports'],
  // Shells started by the run (bash(1), sh(1)).
  ['BASH_ENV', 'runs this file in every non-interactive bash the run starts'],
  ['ENV', 'runs this file in every interactive POSIX sh the run starts'],
  ['SHELLOPTS', 'changes the options of every bash the run starts'],
  ['PATH', 'changes which program runs for every command found by name (python, qaic-compile, sh...)'],
]);

export function execEnvRules(ctx: RuleContext): void {
  for (const stage of ctx.view.stages) {
    for (const p of props(stage.env)) {
      // An empty value only clears the variable for the run (the no-QEfficient check does that): nothing added.
      if (p.value?.type === 'string' && p.value.value === '') continue;
      const why = EXEC_ENV_VARS.get(p.name) ?? (p.name.startsWith('BASH_FUNC_') ? 'defines a shell function that replaces a command in every bash the run starts' : undefined);
      if (!why) continue;
      ctx.report({
        code: 'QEFF-EXEC-01', severity: 'warning', node: p.key, stage,
        message: `${p.name} changes what runs: it ${why}. Set here, it applies to the ${stage.key} export and compile and everything they start; keep it only if you mean it.`,
        fixes: [ctx.fix.remove(`Remove ${p.name}`, p)],
      });
    }
  }
}
