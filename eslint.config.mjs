// ESLint flat config: typescript-eslint's type-checked rules for bugs, not style (Prettier owns layout),
// and a fence around workflow code, which runs in Temporal's deterministic sandbox.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Workflow code is replayed in a V8 isolate: no Node built-ins, no I/O clients, no Temporal client/worker/activity
// APIs. Type-only imports are erased at compile time, so activity signatures may be imported with `import type`.
const workflowForbiddenPackages = [
  ...builtinModules.filter((name) => !name.startsWith('_')),
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
  'undici',
  'pg',
  'node-pg-migrate',
  'nodemailer',
  'jose',
  'yaml',
  'commander',
];
// The product's folders that do I/O or read the environment: a workflow reaches them only through activities.
const workflowForbiddenFolders = [
  'activities',
  'integrations',
  'storage',
  'config',
  'client',
  'runtime',
  'setup',
  'webhooks',
  'notifications',
  'observability',
  'tenancy',
  'temporal',
  'reports',
];
export const workflowImportRule = [
  'error',
  {
    paths: workflowForbiddenPackages.map((name) => ({
      name,
      message: 'Workflow code runs in the deterministic sandbox: do this in an activity.',
      allowTypeImports: true,
    })),
    patterns: [
      {
        group: ['node:*', '@temporalio/*', '!@temporalio/workflow', '!@temporalio/common'],
        message: 'Workflow code may import only @temporalio/workflow and @temporalio/common (and `import type`).',
        allowTypeImports: true,
      },
      {
        regex: `^(\\.\\./)+(${workflowForbiddenFolders.join('|')})(/|$)`,
        message: 'Workflow code may not import I/O modules at runtime: call an activity (`import type` is fine).',
        allowTypeImports: true,
      },
      {
        // A connector's folder holds its definition, clients and reports too: workflows take only its contract and domain rules.
        regex: '^(\\.\\./)+connectors/(?![^/]+/(contract|domain/))',
        message: "Workflow code may import only a connector's contract and domain modules (`import type` is fine).",
        allowTypeImports: true,
      },
    ],
  },
];

export default tseslint.config(
  {
    ignores: ['node_modules/**', 'dist/**', 'dist-simulators/**', '.temporal/**', 'coverage/**', '**/*.js', '**/*.cjs', '**/*.mjs'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Activities, handlers and interface implementations are async by contract even when their body has no
      // await; the rule would turn them into `Promise.resolve(...)` plumbing without finding a bug.
      '@typescript-eslint/require-await': 'off',
      // A closure that reads a variable before its one assignment (a server handler naming the server) keeps `let`.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      // `_`-prefixed names mark parameters a signature needs but the body does not use.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Tests read JSON bodies and protocol dumps as `any` and then assert their shape; the no-unsafe-* family would
    // ask for a type on every probe. Promise and import rules still apply to tests.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': workflowImportRule },
  },
);
