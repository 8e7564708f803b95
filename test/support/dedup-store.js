'use strict';

// An in-memory stand-in for n8n's database-backed deduplication store, with the semantics of
// n8n 2.41's DeduplicationHelper in "entries" mode: a value is recorded by the very call that
// checks it, `maxEntries` drops the oldest entries, removal takes values out one by one.
//
// Like n8n's, each call reads the record's one row, awaits, then writes the row back, with no
// lock: `hooks.beforeRead`, `hooks.afterRead` and `hooks.afterWrite` mark the steps, so that a
// test can step two executions through that window. A row that two calls both found missing is
// inserted twice, and the second insert fails as the database's unique key makes it fail.

/**
 * @typedef {import('n8n-workflow').DeduplicationItemTypes} Value
 * @typedef {{
 *   beforeRead?: (method: string, values: Value[]) => Promise<void> | void,
 *   afterRead?: (method: string, values: Value[]) => Promise<void> | void,
 *   afterWrite?: (method: string, values: Value[]) => void,
 * }} Hooks
 */

/** @param {Hooks} [hooks] */
function createDedupStore(hooks = {}) {
	/** @type {Map<string, string[]>} */
	const rows = new Map();
	const calls = [];

	/** @param {'node' | 'workflow'} scope @param {{ node?: { id: string }, workflow: { id: string } }} contextData */
	const key = (scope, contextData) => `${contextData.workflow.id}|${scope === 'node' ? `n:${contextData.node?.id}` : ''}`;
	const note = (method, values) => calls.push({ method, count: values.length });

	const store = {
		calls,
		hooks,
		/** @param {Value[]} items */
		async checkProcessedAndRecord(items, scope, contextData, options) {
			note('checkProcessedAndRecord', items);
			await hooks.beforeRead?.('checkProcessedAndRecord', items);
			try {
				return await checkAndRecord(items, scope, contextData, options);
			} finally {
				hooks.afterWrite?.('checkProcessedAndRecord', items);
			}
		},
		async removeProcessed(items, scope, contextData) {
			note('removeProcessed', items);
			await hooks.beforeRead?.('removeProcessed', items);
			try {
				await remove(items, scope, contextData);
			} finally {
				hooks.afterWrite?.('removeProcessed', items);
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
			for (const hook of Object.keys(hooks)) delete hooks[hook];
		},
	};

	/** @param {Value[]} items */
	async function checkAndRecord(items, scope, contextData, options) {
		const found = rows.get(key(scope, contextData));
		const row = [...(found ?? [])];
		await hooks.afterRead?.('checkProcessedAndRecord', items);
		if (!found && rows.has(key(scope, contextData))) {
			throw new Error('duplicate key value violates unique constraint "PK_processed_data"');
		}
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
		// An UPDATE of a row that was deleted meanwhile changes nothing.
		if (!found || rows.has(key(scope, contextData))) rows.set(key(scope, contextData), row);
		return result;
	}

	/** @param {Value[]} items */
	async function remove(items, scope, contextData) {
		const found = rows.get(key(scope, contextData));
		if (!found) return;
		const row = [...found];
		await hooks.afterRead?.('removeProcessed', items);
		for (const item of items) {
			const index = row.indexOf(String(item));
			if (index !== -1) row.splice(index, 1);
		}
		if (rows.has(key(scope, contextData))) rows.set(key(scope, contextData), row);
	}

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
