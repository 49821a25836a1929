// Entry point of the bundled `qeff-disagg` binary.
import { readFileSync } from 'node:fs';
import { run } from './main';

process.exitCode = run(process.argv.slice(2), {
  stdout: s => process.stdout.write(s),
  stderr: s => process.stderr.write(s),
  readStdin: () => readFileSync(0, 'utf8'),
});
