'use strict';

// An in-memory stand-in for n8n's database-backed deduplication store, with the semantics of
// n8n 2.41's DeduplicationHelper in "entries" mode: a value is recorded by the very call that
// checks it, `maxEntries` drops the oldest entries, removal takes values out one by one.
// `hooks.beforeCall` lets a test make the store fail from some call on, as when the process
// running an execution dies.

/**
 * @typedef {import('n8n-workflow').DeduplicationItemTypes} Value
 * @typedef {{ beforeCall?: (method: string, values: Value[]) => void }} Hooks
 */

/** @param {Hooks} [hooks] */
function createDedupStore(hooks = {}) {
	/** @type {Map<string, string[]>} */
	const rows = new Map();
	const calls = [];

	/** @param {'node' | 'workflow'} scope @param {{ node?: { id: string }, workflow: { id: string } }} contextData */
	const key = (scope, contextData) => `${contextData.workflow.id}|${scope === 'node' ? `n:${contextData.node?.id}` : ''}`;
	const note = (method, values) => {
		calls.push({ method, count: values.length });
		hooks.beforeCall?.(method, values);
	};

	const store = {
		calls,
		rows,
		hooks,
		/** @param {Value[]} items */
		async checkProcessedAndRecord(items, scope, contextData, options) {
			note('checkProcessedAndRecord', items);
			const row = rows.get(key(scope, contextData)) ?? [];
			const seen = new Set(row);
			const result = { new: [], processed: [] };
			for (const item of items) {
				const value = String(item);
				if (seen.has(value)) result.processed.push(item);
				else {
					result.new.push(item);
					seen.add(value);
					row.push(value);
				}
			}
			if (options.maxEntries && row.length > options.maxEntries) row.splice(0, row.length - options.maxEntries);
			rows.set(key(scope, contextData), row);
			return result;
		},
		async removeProcessed(items, scope, contextData) {
			note('removeProcessed', items);
			const row = rows.get(key(scope, contextData));
			if (!row) return;
			for (const item of items) {
				const index = row.indexOf(String(item));
				if (index !== -1) row.splice(index, 1);
			}
		},
		async clearAllProcessedItems(scope, contextData) {
			note('clearAllProcessedItems', []);
			rows.delete(key(scope, contextData));
		},
		async getProcessedDataCount(scope, contextData) {
			return (rows.get(key(scope, contextData)) ?? []).length;
		},
		reset() {
			rows.clear();
			calls.length = 0;
			delete hooks.beforeCall;
		},
	};
	return store;
}

let installed;

/**
 * The store n8n-core's deduplication helpers use in this process (installed once: n8n-core
 * allows one initialisation per process).
 */
async function dedupStore() {
	if (!installed) {
		installed = createDedupStore();
		const { DataDeduplicationService } = require('n8n-core');
		await DataDeduplicationService.init(installed);
	}
	return installed;
}

module.exports = { createDedupStore, dedupStore };
