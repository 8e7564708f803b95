'use strict';

// setupFilesAfterEnv used only under Stryker (see stryker.units.config.json and stryker.operations.config.json).
//
// The engine tests load the package from dist inside their first test. With Stryker's "perTest"
// coverage analysis, whatever code runs while a test runs is attributed to that test only, so the
// module-level code of the built package (constants, module-level tables) would look covered by
// the first test of each engine file alone, and a mutant there would be tried against that one
// test, although every later test of the file runs with it. Loading the package before the first
// test makes that code count as "static" coverage, for which Stryker runs all tests. The engine's
// own loader caches this load, so the tests themselves behave as before.

const testPath = (expect.getState().testPath || '').split('\\').join('/');

if (testPath.includes('/test/engine/')) {
	beforeAll(async () => {
		await require('../support/engine').loadPackage();
	});
}
