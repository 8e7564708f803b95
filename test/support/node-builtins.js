'use strict';

// Node's own modules for TypeScript tests: the community-node lint that covers the TypeScript
// files forbids importing them (a node package may not), which is right for nodes/ but not for
// what a test checks about the files and listeners around it.

const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { getEventListeners } = require('node:events');
const path = require('node:path');

const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** @param {string} relative  a path from the repository's root @returns {boolean} */
function repoFileExists(relative) {
	return existsSync(path.resolve(REPO_ROOT, relative));
}

/** @param {string} relative  a path from the repository's root @returns {string} */
function readRepoFile(relative) {
	return readFileSync(path.resolve(REPO_ROOT, relative), 'utf8');
}

/**
 * What a path from the repository's root names: a file, a folder, or nothing.
 * @param {string} relative @returns {'file' | 'directory' | undefined}
 */
function repoEntryKind(relative) {
	const absolute = path.resolve(REPO_ROOT, relative);
	if (!existsSync(absolute)) return undefined;
	return statSync(absolute).isDirectory() ? 'directory' : 'file';
}

/**
 * The names of a folder's files that end in `suffix`, sorted.
 * @param {string} relative  a folder from the repository's root @param {string} suffix @returns {string[]}
 */
function repoFileNames(relative, suffix) {
	return readdirSync(path.resolve(REPO_ROOT, relative), { withFileTypes: true })
		.filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
		.map((entry) => entry.name)
		.sort();
}

/** @param {EventTarget} target @param {string} type @returns {number} */
function listenerCount(target, type) {
	return getEventListeners(target, type).length;
}

module.exports = { repoFileExists, readRepoFile, repoEntryKind, repoFileNames, listenerCount };
