// The config language's public surface (no vscode import): used by the CLI, the extension and the webview.
export * from './types';
export { checkText } from './check';
export { parseDocument } from './parse';
export { LineIndex } from './lineIndex';
export { parseVersion } from './version';
export { inferFamily } from './family';
export { FAMILY_FACTS, DEFAULTS } from './model';
export { hoverAt, type HoverResult } from './hover';
export { completionsAt, type CompletionEntry } from './completion';
export { setValueEdits } from './fixes';
export { buildPlan, PlanError, type Plan, type StagePlan } from './plan';
export { stageScript } from './pythonScript';
export { findCompileCommand, shellJoin, shellQuote, type CompileCommand } from './compileCommand';
export { PICK_NPI_COMMAND } from './rules/subfunctionsNpi';
