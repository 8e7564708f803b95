'use strict';

// Reads the example workflows and their sandbox seeds for tests (`n8n-node lint` forbids node:fs
// in .ts files).

const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');

/**
 * A file of examples/, parsed.
 * @param {string} name e.g. "nightly-catalogue-sync.json"
 * @returns {any}
 */
function readExample(name) {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'));
}

module.exports = { readExample };
