// ESLint flat config: typescript-eslint recommended, plus the layering rule of docs/architecture:
// domain/ imports no I/O; nothing below http/ imports http/ or realtime/.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'static/build/**', 'data/**', 'coverage/**', 'bench-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': ['error', { ignoreRestArgs: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['db/migrations/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['static/client/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['server/data/**/*.ts', 'server/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/http/*', '**/realtime/*', 'express', 'socket.io'],
              message: 'dependencies point inward: http/realtime → services → domain/data → db',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: [
                'node:*',
                'fs',
                'path',
                'express',
                'socket.io',
                'kysely',
                'better-sqlite3',
                '**/data/*',
                '**/services/*',
                '**/http/*',
                '**/realtime/*',
                '**/db/*',
              ],
              message: 'server/domain is pure: no I/O, no framework, no outer layers.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'Date', message: 'domain code takes time as an argument' }],
    },
  },
);
