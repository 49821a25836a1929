// The config language's public surface (no vscode import): used by the CLI, the extension and the webview.
export * from './types';
export { checkText } from './check';
export { parseDocument } from './parse';
export { LineIndex } from './lineIndex';
export { parseVersion } from './version';
export { inferFamily } from './family';
export { FAMILY_FACTS, DEFAULTS } from './model';
