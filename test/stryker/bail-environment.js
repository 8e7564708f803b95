'use strict';

// Jest test environment used only under Stryker (see stryker.units.config.json and stryker.operations.config.json).
//
// Stryker's jest runner switches Jest's own `bail` off (Jest implements it with process.exit), so
// every mutant would run all of its tests even after the first one failed. A mutant is killed by
// its first failing test, so once a test (or a beforeAll/afterAll hook) has failed for good while
// a mutant is active, this environment skips every later describe block and test of that
// mutant's run, in this file and in the files after it. The verdict (killed or not) is unchanged;
// only the time spent is.
//
// "For good" respects jest.retryTimes (see preload-package.js): a failure that Jest will retry
// does not bail, so a retry is never skipped in place of a verdict.
//
// The mutant that has already failed is remembered in an environment variable of the worker
// process, so that the next mutant, or the dry run (no active mutant), runs everything again.

const NodeEnvironment = require('jest-environment-node').TestEnvironment;

const { record } = require('./tests-by-file');

const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';
const FAILED_MUTANT = 'KOMBO_STRYKER_BAILED_MUTANT';
const RETRY_TIMES = Symbol.for('RETRY_TIMES');

function activeMutant() {
	return process.env[ACTIVE_MUTANT];
}

function bailed() {
	const mutant = activeMutant();
	return mutant !== undefined && process.env[FAILED_MUTANT] === mutant;
}

function recordFailure() {
	const mutant = activeMutant();
	if (mutant !== undefined) process.env[FAILED_MUTANT] = mutant;
}

/** A test's full name as Jest gives it (and Stryker uses as its ID): its describe blocks' names and its own. */
function fullName(test) {
	const names = [];
	for (let block = test; block.parent; block = block.parent) names.unshift(block.name);
	return names.join(' ');
}

class BailOnFirstFailureEnvironment extends NodeEnvironment {
	constructor(config, context) {
		super(config, context);
		this.rootDir = config.projectConfig.rootDir;
		this.testPath = context.testPath;
	}

	retryTimes() {
		return Number.parseInt(this.global[RETRY_TIMES], 10) || 0;
	}

	async handleTestEvent(event) {
		switch (event.name) {
			case 'run_describe_start':
				if (bailed()) event.describeBlock.mode = 'skip';
				break;
			case 'test_start':
				if (bailed()) event.test.mode = 'skip';
				break;
			case 'hook_failure':
				// beforeEach/afterEach failures land in the test's errors (see test_done)
				if (!event.test) recordFailure();
				break;
			case 'test_done':
				// The dry run (no active mutant) learns which file holds which test (see jest-by-file.mjs).
				if (activeMutant() === undefined) record(this.rootDir, fullName(event.test), this.testPath);
				if (event.test.errors.length > 0 && event.test.invocations > this.retryTimes()) recordFailure();
				break;
			default:
				break;
		}
	}
}

module.exports = BailOnFirstFailureEnvironment;
