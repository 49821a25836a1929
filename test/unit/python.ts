// python3 for the suites that run it (the driver, the stage scripts, Python's own parsers as oracles).
// On a developer machine without python3 >= 3.8 those tests are skipped with the reason; under CI (the
// environment variable CI is set, as .ci/run does after making sure python3 is installed) a missing
// python3 is a failure of every suite that needs it, never a silent skip.
import { spawnSync } from 'node:child_process';

const probe = spawnSync('python3', ['-c', 'import sys; print(sys.executable); sys.exit(0 if sys.version_info >= (3, 8) else 1)'], { encoding: 'utf8' });

/** The interpreter `python3` resolves to ('' when there is none of 3.8 or later). */
export const PYTHON_EXE = probe.status === 0 ? probe.stdout.trim() : '';

const missing = 'python3 >= 3.8 not available';
if (!PYTHON_EXE && process.env.CI) {
  throw new Error(`${missing}, and CI is set: the Python-dependent tests must run (.ci/run installs python3).`);
}

/** The `skip` option of a test or suite that runs python3: false when it is there. */
export const noPython: string | false = PYTHON_EXE ? false : missing;
