// The Python parser (web-tree-sitter 0.27.2 + tree-sitter-python 0.25.0 grammar), started once per process and
// only on demand: the host hands over the two wasm files' bytes, so no path or URL is resolved here and the same
// code runs in the CLI, the node extension host and a web worker (research: python-callsite-parsing.md).
import { Language, Parser, type Tree } from 'web-tree-sitter';

export const RUNTIME_WASM = 'web-tree-sitter.wasm';
export const PYTHON_WASM = 'tree-sitter-python.wasm';

/** Reads one of the two wasm files (RUNTIME_WASM, PYTHON_WASM) from wherever the host ships them. */
export type WasmReader = (name: string) => Promise<Uint8Array>;

/** Cheap pre-filter: only texts that mention QEfficient or the environment are parsed at all. */
export const MENTIONS_QEFFICIENT = /QEFFAuto|QEfficient|os\.environ/;

let ready: Promise<Parser> | undefined;
let parser: Parser | undefined;

/** Starts the parser once (later calls share the first promise); a failed start may be retried. */
export function initPythonParser(read: WasmReader): Promise<Parser> {
  ready ??= (async () => {
    const runtime = await read(RUNTIME_WASM);
    // locateFile as well: without it the runtime still builds a URL from its own location (research, pitfalls).
    await Parser.init({ wasmBinary: runtime, locateFile: (f: string) => f } as unknown as Parameters<typeof Parser.init>[0]);
    const python = await Language.load(await read(PYTHON_WASM));
    const p = new Parser();
    p.setLanguage(python);
    parser = p;
    return p;
  })();
  ready.catch(() => { ready = undefined; });
  return ready;
}

/** The started parser, or undefined before initPythonParser resolved. */
export function pythonParser(): Parser | undefined {
  return parser;
}

/** Parses `text` (UTF-16 offsets, as VS Code uses); `old` is an edited earlier tree for an incremental reparse. */
export function parsePython(text: string, old?: Tree): Tree {
  if (!parser) throw new Error('The Python parser is not started: call initPythonParser first.');
  const tree = parser.parse(text, old ?? null);
  if (!tree) throw new Error('The Python parser returned no tree.');
  return tree;
}
