// A Stryker test runner plugin, "jest-by-file", used only under Stryker (see the stryker.*.config.json
// files): Stryker's own jest runner, plus one thing. For each mutant, Stryker's jest runner runs
// Jest over every test file with a test name pattern that selects the tests covering the mutant,
// so every test file is loaded (its imports evaluated) even when none of its tests are selected.
// This plugin hands the selected test names to the sequencer (test/stryker/sequencer.js) in an
// environment variable of the worker process; the sequencer then leaves out the files that hold
// none of them (it learns which file holds which test in the dry run, through
// bail-environment.js). The tests that run, and so each verdict, are the same; only the files
// that would have run no test are not loaded.

import { commonTokens, declareFactoryPlugin, PluginKind } from '@stryker-mutator/api/plugin';
import { strykerPlugins as jestPlugins } from '@stryker-mutator/jest-runner';

export const SELECTED_TESTS_ENV = 'KOMBO_STRYKER_SELECTED_TESTS';

const jest = jestPlugins.find((plugin) => plugin.name === 'jest');

function createRunner(injector) {
	const inner = injector.injectFunction(jest.factory);
	return {
		capabilities: () => inner.capabilities(),
		init: async () => await inner.init?.(),
		dryRun: async (options) => {
			delete process.env[SELECTED_TESTS_ENV];
			return await inner.dryRun(options);
		},
		mutantRun: async (options) => {
			if (options.testFilter) process.env[SELECTED_TESTS_ENV] = JSON.stringify(options.testFilter);
			else delete process.env[SELECTED_TESTS_ENV];
			try {
				return await inner.mutantRun(options);
			} finally {
				delete process.env[SELECTED_TESTS_ENV];
			}
		},
		dispose: async () => await inner.dispose?.(),
	};
}
createRunner.inject = [commonTokens.injector];

export const strykerPlugins = [declareFactoryPlugin(PluginKind.TestRunner, 'jest-by-file', createRunner)];
