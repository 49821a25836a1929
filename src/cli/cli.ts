// Entry point of the bundled `qeff-disagg` binary.
import { readFdBounded } from './boundedRead';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runWithPython } from './main';

// The Python parser's wasm files sit beside this bundle (scripts/build.mjs copies them into dist/).
void runWithPython(process.argv.slice(2), {
  stdout: s => process.stdout.write(s),
  stderr: s => process.stderr.write(s),
  readStdin: maxBytes => readFdBounded(0, maxBytes),
}, async name => new Uint8Array(await readFile(join(__dirname, name)))).then(code => { process.exitCode = code; });
