// Starts the Python parser for unit tests from the installed packages' wasm files (the .vsix ships the same two).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { initPythonParser, PYTHON_WASM, RUNTIME_WASM } from '../../src/core/python/parser';
import { repoRoot } from './repoRoot';

const FILES: Record<string, string> = {
  [RUNTIME_WASM]: join(repoRoot(), 'node_modules', 'web-tree-sitter', RUNTIME_WASM),
  [PYTHON_WASM]: join(repoRoot(), 'node_modules', 'tree-sitter-python', PYTHON_WASM),
};

export async function startPython(): Promise<void> {
  await initPythonParser(async name => new Uint8Array(await readFile(FILES[name])));
}
