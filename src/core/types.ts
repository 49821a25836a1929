// Shared data types of the config language. No vscode import: this runs in node, the CLI and the webview.

export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** 0-based line and UTF-16 character, as in VS Code and LSP. */
export interface Position { line: number; character: number }
export interface Range { start: Position; end: Position }

export interface TextEdit { range: Range; newText: string }

/** A fix is pure data: the editor applies `edits` as they are, without re-analysing the document. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /** True when applying this fix at every diagnostic of the same code in one edit is safe. */
  fixAllSafe?: boolean;
  /** A fix that needs the user (e.g. a file picker): the editor runs this command instead of `edits`. */
  command?: { id: string; arguments: unknown[] };
}

export interface Diagnostic {
  code: string;
  severity: Severity;
  message: string;
  range: Range;
  /** Offset and length of the range in the text, for hosts that work in offsets. */
  offset: number;
  length: number;
  /** The preferred fix, when the catalog names one. */
  fix?: Fix;
  /** Further alternatives (e.g. each enum value). */
  moreFixes?: Fix[];
  /** Other places the message refers to (e.g. the prefill value a pairing rule compares with). */
  related?: RelatedLocation[];
}

/** A place in the same config that a diagnostic refers to, with what it is. */
export interface RelatedLocation { message: string; range: Range; offset: number; length: number }

export type StageKey = 'prefill' | 'decode';
export type PrefillMode = 'blocking' | 'chunking';
export type DecodeMode = 'swa-retain' | 'full-kv';
export type Mode = PrefillMode | DecodeMode;
export type Family = 'gpt-oss-20b' | 'gpt-oss-120b';

export const PREFILL_MODES: readonly PrefillMode[] = ['blocking', 'chunking'];
export const DECODE_MODES: readonly DecodeMode[] = ['swa-retain', 'full-kv'];
export const FAMILIES: readonly Family[] = ['gpt-oss-20b', 'gpt-oss-120b'];

/**
 * What the core may ask of its host about files. Paths are absolute, as built by `paths.ts`.
 * The CLI and the extension pass a node `fs` host; the webview passes one backed by data from the extension.
 */
export interface FileHost {
  /** The file's text, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
  /** The same, saying why a file was not read (a system file, not a regular file, too large...). */
  readText?(path: string): { ok: true; text: string } | { ok: false; problem: string };
  /** True when `path` is a regular file; for files too large to read (a QPC's programqpc.bin). Optional. */
  isFile?(path: string): boolean;
}

export interface CheckOptions {
  /** Absolute path of the config file; relative paths in the config resolve against its folder. */
  configPath?: string;
  /** Target QEfficient version from the caller (detected install or a setting); the config's own wins. */
  qefficientVersion?: string;
  host?: FileHost;
  /** QPC folders (absolute) served when "serving" names none: the last compile of each stage. */
  servingQpc?: Partial<Record<StageKey, string>>;
}
