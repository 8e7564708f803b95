// The unit tests alone, for the mutation run over the pure modules and the transport (see
// stryker.units.config.json): they import the TypeScript sources, so no build is needed. ts-jest
// only transpiles here (the type check is `npm run lint`'s), which makes each of the thousands
// of test runs a mutation run makes cost a fraction of a second.
const base = require('../../jest.config.js');

module.exports = {
	...base,
	rootDir: '../..',
	roots: ['<rootDir>/test/nodes', '<rootDir>/test/credentials'],
	transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
};
