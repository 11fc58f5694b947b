// One ESLint config for the monorepo, with folder-scoped blocks.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/cdk.out/**',
      '**/.next/**',
      '**/dist/**',
      '**/coverage/**',
      '.sandbox/**',
      'frontend/next-env.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Type-aware rules wherever TypeScript runs: most of this code is async (server components,
    // route handlers, the sandbox's HTTP handlers, CDK tests), and an unawaited or misplaced promise
    // there loses its error or its order. Each package's own tsconfig supplies the types.
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['frontend/**/*.ts', 'frontend/**/*.tsx'],
    ...reactHooks.configs.flat.recommended,
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Service workers (frontend/**/*-sw.js): classic scripts with the worker's globals, not CommonJS.
    files: ['frontend/**/*-sw.js'],
    languageOptions: { sourceType: 'script', globals: { ...globals.serviceworker } },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
      },
    },
  },
  {
    // The web app reaches the backend and the sandbox only through their published entry points:
    // `@image-share/contracts/*` for the shared shapes, `sandbox/dev` for the development adapters.
    files: ['frontend/**/*.ts', 'frontend/**/*.tsx'],
    ignores: ['frontend/test/**', 'frontend/e2e/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)(backend|sandbox)/(src|lib|bin|scripts|test)(/|$)',
              message:
                'Import the shared shapes from @image-share/contracts, the sandbox adapters from sandbox/dev.',
            },
            {
              regex: '^sandbox(/(?!dev$)|$)',
              message: 'The sandbox package exports only sandbox/dev to the web app.',
            },
          ],
        },
      ],
      // no-restricted-imports does not look at import(): the same rule for dynamic imports.
      'no-restricted-syntax': [
        'error',
        {
          selector: String.raw`ImportExpression[source.value=/(^|\/)(backend|sandbox)\/(src|lib|bin|scripts|test)(\/|$)|^sandbox(\/(?!dev$)|$)/]`,
          message:
            'Import the shared shapes from @image-share/contracts, the sandbox adapters from sandbox/dev.',
        },
      ],
    },
  },
  {
    files: ['backend/lib/**/*.ts'],
    rules: {
      // Config enters only through bin/app.ts (docs/conventions.md#cdk, rule 1).
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration in bin/app.ts and pass it down as props.',
        },
      ],
    },
  },
);
