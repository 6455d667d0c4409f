/** Unit specs live next to the code (src/**\/*.spec.ts); end-to-end and harness suites in test/. */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: {
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          target: 'es2022',
        },
        module: { type: 'commonjs' },
      },
    ],
  },
  // jose (used by jwks-rsa) ships ESM only; compile it to CommonJS like our own code.
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  reporters: ['default', '<rootDir>/test/support/count-reporter.js'],
  // Generous: a hook that starts an app and signs users up must survive a loaded 2-core CI machine.
  testTimeout: 60000,
  maxWorkers: 1,
};
