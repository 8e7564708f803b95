'use strict';

// Reads the example workflows and their sandbox seeds for tests (`n8n-node lint` forbids node:fs
// in .ts files).

const fs = require('node:fs');
const path = require('node:path');

const { seedFromJson } = require('../../scripts/sandbox');

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

/**
 * A file of examples/, parsed.
 * @param {string} name e.g. "nightly-catalogue-sync.json"
 * @returns {any}
 */
function readExample(name) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));
}

/**
 * A sandbox seed of examples/ (the file `npm run sandbox -- --seed` takes), read as the sandbox
 * reads it and turned into the stand-in's options.
 * @param {string} name e.g. "completion-write-back-sandbox-seed.json"
 */
function readSandboxSeed(name) {
	const seed = seedFromJson(readExample(name), path.join('examples', name));
	return { seedCourses: seed.courses, seedLearners: seed.learners, seedProgressions: seed.progressions };
}

module.exports = { readExample, readSandboxSeed };
