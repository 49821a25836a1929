// ESLint flat config: typescript-eslint with type information, so that floating promises are errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_GLOBALS = ['require', 'module', 'exports', '__dirname', '__filename', 'process', 'console', 'Buffer',
  'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'URL', 'TextDecoder', 'TextEncoder',
  'performance', 'AbortController', 'structuredClone', 'fetch'];
// test/suite/*.js run in mocha's tdd ui; test/e2e scenarios evaluate some functions in the page (document, window).
const MOCHA_TDD_GLOBALS = ['suite', 'test', 'setup', 'teardown', 'suiteSetup', 'suiteTeardown', 'document', 'window'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'src/core/generated/**', 'scripts/**', 'test/fixtures/**', 'bench/**/*.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      // node:test's test()/describe() return promises the runner awaits itself.
      '@typescript-eslint/no-floating-promises': ['error', {
        allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after'] }],
      }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Tests poke at JSON of unknown shape.
  { files: ['test/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  // The extension-host suites (mocha, tdd ui) and the UI scenarios (Playwright driver): CommonJS for Node.
  {
    files: ['test/suite/**/*.js', 'test/e2e/**/*.js'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: Object.fromEntries([...NODE_GLOBALS, ...MOCHA_TDD_GLOBALS].map(g => [g, 'readonly'])),
    },
    rules: {
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
);
