// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layers (STYLE.md §1): domain/ is pure, manifest.ts imports nothing, handlers stay thin adapters. */
const AWS_AND_HTTP = [
  { group: ['@aws-sdk/*', '@smithy/*'], message: 'domain/ is pure: talk to AWS from functions/shared/.' },
  { group: ['@middy/*', '@aws-lambda-powertools/*'], message: 'domain/ is pure: middlewares and Powertools belong in functions/shared/.' },
  { group: ['aws-lambda'], message: 'domain/ knows nothing of Lambda event types.' },
  { group: ['node:http', 'node:https', 'node:http2', 'node:net', 'node:dns', 'node:tls', 'http', 'https', 'http2', 'net', 'dns', 'tls'], message: 'domain/ makes no network calls.' },
  { group: ['../shared/*', '!../shared/manifest', '../../*', '../handler', '../*/handler'], message: 'domain/ reaches outside itself only for the manifest.' },
];

const ZOD = { regex: '^zod(/.*)?$', message: "Import zod from functions/domain/zod.ts (zod/mini with English messages)." };

// Every bundle that touched ROUTES would carry all routes: functions import their own `<name>Route`.
const ROUTES_OBJECT = { group: ['**/shared/manifest'], importNames: ['ROUTES'], message: 'Import the route constant (e.g. setStatementRoute) so the bundle carries only that route.' };

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.local/', 'coverage/', 'test-artifacts/', '.probe/', 'docs/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'writable', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', fetch: 'readonly', URL: 'readonly', URLSearchParams: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Classic zod does not tree-shake (about 440 KB in every bundle): functions use zod/mini, configured once.
    files: ['functions/**/*.ts'],
    ignores: ['functions/domain/zod.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ZOD, ROUTES_OBJECT] }] },
  },
  {
    files: ['functions/domain/**/*.ts'],
    ignores: ['functions/domain/zod.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...AWS_AND_HTTP, ZOD, ROUTES_OBJECT] }],
      'no-restricted-globals': ['error', { name: 'fetch', message: 'domain/ makes no HTTP calls.' }],
    },
  },
  {
    // Inside shared/: adapters and repositories know nothing of requests, pages or use cases.
    files: ['functions/shared/adapters/**/*.ts', 'functions/shared/repos/**/*.ts', 'functions/shared/table/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ZOD, ROUTES_OBJECT, { regex: '/(use-cases|http|pages)/', message: 'Adapters and repositories sit below use cases, the HTTP chain and pages.' }] }] },
  },
  {
    files: ['functions/shared/http/**/*.ts', 'functions/shared/pages/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [ZOD, ROUTES_OBJECT, { regex: '/use-cases/', message: 'The HTTP chain and the pages present results; use cases call them, not the other way round.' }] }] },
  },
  {
    files: ['functions/shared/manifest.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['*'], message: 'manifest.ts imports nothing, so every layer can share it.' }] }] },
  },
  {
    // Tests read JSON answers loosely; production code may not.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
