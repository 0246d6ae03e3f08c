/** Jest runs the TypeScript sources directly (SWC strips types; `npm run typecheck` checks them). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] },
  moduleNameMapper: { '^mxts$': '<rootDir>/src/index.ts' },
};
