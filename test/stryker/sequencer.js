'use strict';

// Jest test sequencer used only under Stryker (see stryker.config.json): the fast, table-driven
// unit tests first, then the stub's own tests, then the engine tests (which load the package
// from dist and take seconds each), so that a mutant that a unit test kills is killed before any
// engine test starts (together with bail-environment.js, which skips what follows a failure).
// Jest's default sequencer puts the slowest files first, the opposite of what bailing wants.

const Sequencer = require('@jest/test-sequencer').default;

const ORDER = ['/test/nodes/', '/test/credentials/', '/test/stub/', '/test/engine/upsert', '/test/engine/waitEdges', '/test/engine/wait', '/test/engine/'];

function rank(testPath) {
	const normalized = testPath.split('\\').join('/');
	const index = ORDER.findIndex((part) => normalized.includes(part));
	return index === -1 ? ORDER.length : index;
}

class FastFirstSequencer extends Sequencer {
	sort(tests) {
		return [...tests].sort((a, b) => rank(a.path) - rank(b.path) || a.path.localeCompare(b.path));
	}
}

module.exports = FastFirstSequencer;
