// The shell script "Save as Script" writes for a compile QEfficient left to be run by hand. Every line is
// fixed text or a quoted value: a QPC folder, config name or argument from a hostile config or log cannot
// put a command on a line of its own.
import { shellJoin } from './compileCommand';
import { hasUnprintable, printable } from './printable';

export interface CompileScriptInput {
  stage: string;
  configName: string;
  capturedAt: string;
  qpcDir: string | null;
  argv: readonly string[];
}

export type CompileScript = { ok: true; text: string } | { ok: false; problem: string };

export function renderCompileScript(c: CompileScriptInput): CompileScript {
  if (!c.argv.length) return { ok: false, problem: 'the captured compiler command is empty' };
  // Single quotes would keep a newline inside one word, but the line would still break: refuse instead
  // (a real compiler command never holds a control character).
  const bad = c.argv.findIndex(hasUnprintable);
  if (bad >= 0) {
    return { ok: false, problem: `argument ${bad + 1} of the compiler command (${JSON.stringify(printable(c.argv[bad]).slice(0, 80))}) holds a control or line-breaking character` };
  }
  const text = [
    '#!/bin/sh',
    `# The ${printable(c.stage)} compile of ${printable(c.configName)}, captured by qeff-disagg on ${printable(c.capturedAt)}.`,
    '# QEfficient exported the ONNX and wrote specializations.json and custom_io.yaml; run this with a',
    '# compiler that supports ONNX subfunctions. The QPC lands in:',
    `#   ${c.qpcDir === null ? '(see -aic-binary-dir)' : printable(c.qpcDir)}`,
    'set -e',
    `exec ${shellJoin([...c.argv])}`,
    '',
  ].join('\n');
  return { ok: true, text };
}
