'use strict';

// Jest test sequencer used only under Stryker (see the stryker.*.config.json files). For a
// mutant it keeps only the test files that hold a test Stryker selected (see jest-by-file.mjs),
// and orders them: the fast, table-driven unit tests first, then the stub's own tests, then the
// engine tests (which load the package from dist and take seconds each), so that a mutant that a
// unit test kills is killed before any engine test starts (together with bail-environment.js,
// which skips what follows a failure). Jest's default sequencer puts the slowest files first,
// the opposite of what bailing wants.

const Sequencer = require('@jest/test-sequencer').default;

const { selectedPattern, testsByFile } = require('./tests-by-file');

const ORDER = ['/test/nodes/', '/test/credentials/', '/test/stub/', '/test/engine/upsert', '/test/engine/waitEdges', '/test/engine/wait', '/test/engine/'];

function rank(testPath) {
	const normalized = testPath.split('\\').join('/');
	const index = ORDER.findIndex((part) => normalized.includes(part));
	return index === -1 ? ORDER.length : index;
}

/**
 * For a mutant, only the files that hold a test Stryker selected (see jest-by-file.mjs); every
 * file when no selection was made or nothing is known of the files, and when nothing would be left.
 */
function selected(tests) {
	const pattern = selectedPattern();
	const byFile = pattern && tests.length > 0 ? testsByFile(tests[0].context.config.rootDir) : undefined;
	if (!byFile) return tests;
	const kept = tests.filter((test) => (byFile.get(test.path) ?? []).some((name) => pattern.test(name)));
	return kept.length > 0 ? kept : tests;
}

class FastFirstSequencer extends Sequencer {
	sort(tests) {
		return selected(tests).sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
	}
}

module.exports = FastFirstSequencer;
