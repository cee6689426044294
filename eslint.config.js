// ESLint flat config: the house style rules from STYLE.md that a machine can check.
// Does: type-aware TypeScript rules (typescript-eslint) over every source and test folder, file naming, and
// correctness rules over generated/. Does not: formatting (Prettier owns layout; see .prettierrc.json).
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import checkFile from 'eslint-plugin-check-file';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  {
    ignores: ['dist/**', 'node_modules/**', '.cache/**', 'test-artifacts/**', 'bench/results/**', 'coverage/**', '**/.tmp/**', 'test/fixtures/out/**'],
  },
  js.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // STYLE.md "No `any` or unchecked `as`": a narrowing assertion needs a type guard or a parser instead.
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-type-assertion': 'error',
      // A promise nobody awaits loses its rejection: await it, return it, or `void` it with a comment saying why.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // STYLE.md "Pass `cause` when wrapping"; throw Error objects only.
      'preserve-caught-error': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always'],
      'prefer-const': ['error', { destructuring: 'all', ignoreReadBeforeAssign: true }],
    },
  },
  {
    // STYLE.md layout: kebab-case files and folders, no utils/helpers/misc grab-bags.
    files: ['**/*.{ts,js,mjs}'],
    plugins: { 'check-file': checkFile },
    rules: {
      'check-file/filename-naming-convention': ['error', { '**/*.{ts,js,mjs}': 'KEBAB_CASE' }, { ignoreMiddleExtensions: true }],
      'check-file/folder-naming-convention': ['error', { '**/': 'KEBAB_CASE' }],
      'check-file/filename-blocklist': ['error', { '**/{utils,helpers,misc}.{ts,js,mjs}': '*.ts named after the concept it implements' }],
    },
  },
);
