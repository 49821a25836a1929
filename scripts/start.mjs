// `npm start` (until the editor harness lands): check and plan every example config with the CLI.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const examples = readdirSync('examples').filter(f => f.endsWith('.qeff.json')).map(f => `examples/${f}`);
const cli = (...args) => {
  console.log(`\n$ qeff-disagg ${args.join(' ')}`);
  try {
    process.stdout.write(execFileSync(process.execPath, ['dist/cli.js', ...args], { encoding: 'utf8' }));
  } catch (e) {
    process.stdout.write(e.stdout ?? '');
    process.stderr.write(e.stderr ?? '');
  }
};
cli('check', ...examples);
for (const f of examples) cli('plan', f);
