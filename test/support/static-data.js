'use strict';

// An in-memory stand-in for the column in which n8n keeps a workflow's static data, with the
// semantics n8n 2.41 gives it: an execution reads the saved data once, when it starts, and works
// on its own copy; when it ends (successfully or not), and only if its copy changed, the whole
// copy is written back over whatever is saved then: the last execution to end wins. Executions
// started from the editor ('manual' mode) never write it back. An execution whose process dies
// never reaches the write.

/** @param {unknown} value */
const copy = (value) => JSON.parse(JSON.stringify(value ?? {}));

function createStaticDataStore() {
	/** @type {Record<string, unknown>} */
	let saved = {};
	/** @type {Array<{ executionId: string, size: number }>} */
	const writes = [];
	const store = {
		writes,
		/** What an execution starting now reads. */
		snapshot() {
			return copy(saved);
		},
		/** What is saved now (a copy). */
		saved() {
			return copy(saved);
		},
		/** The node-scoped part of what is saved, as `getWorkflowStaticData('node')` shows it. */
		node(nodeName = 'Kombo') {
			return copy(saved)[`node:${nodeName}`];
		},
		/** n8n's write at the end of an execution. @param {string} executionId @param {unknown} data */
		save(executionId, data) {
			const text = JSON.stringify(data, (key, value) => (key === '__dataChanged' ? undefined : value));
			writes.push({ executionId, size: Buffer.byteLength(text) });
			saved = JSON.parse(text);
		},
		/** Replaces what is saved, e.g. with something an older version of the node left. @param {Record<string, unknown>} data */
		replace(data) {
			saved = copy(data);
		},
		reset() {
			saved = {};
			writes.length = 0;
		},
	};
	return store;
}

/** @type {ReturnType<typeof createStaticDataStore> | undefined} */
let shared;

/** The store every test run uses unless it is given one of its own. */
function staticDataStore() {
	shared = shared ?? createStaticDataStore();
	return shared;
}

module.exports = { createStaticDataStore, staticDataStore };
