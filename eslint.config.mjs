import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const processEnv = { object: 'process', property: 'env', message: 'Read configuration through the typed config objects from src/config/.' };
// Time comes from the injected Clock (src/common/clock), so tests move it instead of sleeping.
// `new Date(x)` converts a given instant and stays allowed; reading the system time does not.
const clockMessage = 'Ask the injected Clock (src/common/clock) for the time.';
const dateNow = { object: 'Date', property: 'now', message: clockMessage };
const newDateNow = { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: clockMessage };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
        AbortController: 'readonly',
        AbortSignal: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Type-checked rules for the service: a promise nobody awaits loses its error (an unhandled
    // rejection, or a 500 that never comes), and an async function where a callback's result is
    // ignored (Express middleware, event handlers) does the same.
    files: ['src/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Configuration is read in one place only (src/config/); time only from the Clock.
    files: ['src/**/*.ts'],
    ignores: ['src/config/**', 'src/common/clock/**', 'src/**/*.spec.ts'],
    rules: {
      'no-restricted-properties': ['error', processEnv, dateNow],
      'no-restricted-syntax': ['error', newDateNow],
    },
  },
  {
    files: ['src/config/**/*.ts'],
    ignores: ['src/**/*.spec.ts'],
    rules: {
      'no-restricted-properties': ['error', dateNow],
      'no-restricted-syntax': ['error', newDateNow],
    },
  },
  {
    // Unit specs build their fixtures from fixed instants as they like, but read no environment.
    files: ['src/**/*.spec.ts'],
    ignores: ['src/config/**'],
    rules: {
      'no-restricted-properties': ['error', processEnv],
    },
  },
  {
    // The sign-in page runs in the browser, as plain ES modules without a build step.
    files: ['web/**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
);
