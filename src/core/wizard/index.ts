// The wizard's pure logic (no vscode, no DOM): state and defaults, config text, diagnostics by field,
// the modes explained, and the message types. Used by the webview bundle, the extension and the tests.
export * from './state';
export * from './serving';
export * from './config';
export * from './fields';
export * from './modes';
export * from './analysis';
export * from './messages';
export { naturalDecode } from '../modeTable';
