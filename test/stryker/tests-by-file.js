'use strict';

// Which test file holds which test, learnt in Stryker's dry run (see jest-by-file.mjs): the
// environment records each finished test's full name (Jest's, which is Stryker's test ID) with
// its file, one JSON line each, in the sandbox; the sequencer reads the record for each mutant.

const fs = require('node:fs');
const path = require('node:path');

const RECORD = '.stryker-tests-by-file.jsonl';
const SELECTED_TESTS_ENV = 'KOMBO_STRYKER_SELECTED_TESTS';

function recordPath(rootDir) {
	return path.join(rootDir, RECORD);
}

function record(rootDir, fullName, testPath) {
	fs.appendFileSync(recordPath(rootDir), `${JSON.stringify([fullName, testPath])}\n`);
}

const cache = new Map();

/** file → the full names of its tests, or undefined when nothing was recorded. */
function testsByFile(rootDir) {
	const file = recordPath(rootDir);
	if (cache.has(file)) return cache.get(file);
	if (!fs.existsSync(file)) return undefined;
	const byFile = new Map();
	for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
		if (line === '') continue;
		const [fullName, testPath] = JSON.parse(line);
		const names = byFile.get(testPath) ?? [];
		names.push(fullName);
		byFile.set(testPath, names);
	}
	cache.set(file, byFile);
	return byFile;
}

const escapeRegExp = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The test names Stryker selected for this mutant, as the pattern Jest applies to full names
 * (Stryker's jest runner builds the same one; Jest matches it case-insensitively, anywhere in
 * the name), or undefined when every test runs.
 */
function selectedPattern() {
	const selected = process.env[SELECTED_TESTS_ENV];
	if (!selected) return undefined;
	const names = JSON.parse(selected);
	return new RegExp(names.map((name) => `(${escapeRegExp(name)})`).join('|'), 'i');
}

module.exports = { record, testsByFile, selectedPattern };
