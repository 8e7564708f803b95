'use strict';

// Node's own modules for TypeScript tests: the community-node lint that covers the TypeScript
// files forbids importing them (a node package may not), which is right for nodes/ but not for
// what a test checks about the files and listeners around it.

const { existsSync } = require('node:fs');
const { getEventListeners } = require('node:events');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** @param {string} relative  a path from the repository's root @returns {boolean} */
function repoFileExists(relative) {
	return existsSync(path.resolve(REPO_ROOT, relative));
}

/** @param {EventTarget} target @param {string} type @returns {number} */
function listenerCount(target, type) {
	return getEventListeners(target, type).length;
}

module.exports = { repoFileExists, listenerCount };
