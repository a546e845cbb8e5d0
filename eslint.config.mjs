import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'util', 'buffer', 'stream'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'test/fixtures/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // The simulator is pure: no VS Code, no DOM, no Node built-ins except behind the file-access door.
    files: ['simulator/**/*.ts'],
    ignores: ['simulator/cli/node-file-access.ts', 'simulator/cli/node-proc-reader.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode'], patterns: nodeBuiltins }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode'], patterns: [...nodeBuiltins, '../extension/*'] }],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.mjs', 'scripts/**/*.js', 'test/oracle/**/*.mjs'],
    languageOptions: { globals: { require: 'readonly', process: 'readonly', __dirname: 'readonly', console: 'readonly', module: 'writable' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
