// Entry point of the bundled `qeff-disagg` binary.
import { readFdBounded } from './boundedRead';
import { run } from './main';

process.exitCode = run(process.argv.slice(2), {
  stdout: s => process.stdout.write(s),
  stderr: s => process.stderr.write(s),
  readStdin: maxBytes => readFdBounded(0, maxBytes),
});
