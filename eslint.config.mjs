// One linter, strict about promises: a floating promise in the ingest, queue or worker code is a
// lost event. typescript-eslint's type-checked rules run on every package's sources, their tests
// and the end-to-end suite, each file with the types of the tsconfig that type-checks it.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', '**/node_modules/**', 'packages/server/public/**', 'examples/**', 'bench/**', 'scripts/**'],
  },
  {
    files: ['packages/*/src/**/*.ts', 'packages/*/test/**/*.ts', 'packages/tag/types/**/*.ts', 'e2e/**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        project: ['packages/*/tsconfig.test.json', 'e2e/tsconfig.json'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Async functions without an await are how the async Store interface is implemented.
      '@typescript-eslint/require-await': 'off',
      // Express knows an error handler by its four parameters; `_` marks the ones kept for that.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    files: [
      'packages/*/src/**/*.test.ts',
      'packages/*/src/**/*.contract.ts',
      'packages/*/src/contract/harness.ts',
      'packages/*/src/testing/**/*.ts',
      'packages/*/test/**/*.ts',
      'e2e/**/*.ts',
    ],
    rules: {
      // Tests read HTTP and JSON answers as they come and pin them with exact expected values.
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // expect(object.method) hands vitest the spy to inspect; nothing calls it unbound.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
