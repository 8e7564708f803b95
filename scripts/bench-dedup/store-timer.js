'use strict';

// Preloaded into the n8n processes of `npm run bench:dedup` (NODE_OPTIONS=--require, next to the
// e2e network guard). It changes nothing n8n or the node does: once n8n loads its own
// DeduplicationHelper (n8n/dist/deduplication/deduplication-helper.js), every call of
// checkProcessedAndRecord, removeProcessed and clearAllProcessedItems is timed, and so is the
// part of it spent in the ProcessedDataRepository (the SQL query and TypeORM's JSON
// (de)serialisation of the one row). One JSON line per call goes to KOMBO_BENCH_STORE_LOG.
// Plain CommonJS with no dependencies: it runs inside n8n's Node 24.

const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const logFile = process.env.KOMBO_BENCH_STORE_LOG;
const TIMED = ['checkProcessedAndRecord', 'removeProcessed', 'clearAllProcessedItems'];
const REPOSITORY_METHODS = ['findOne', 'insert', 'update', 'delete'];

let patched = false;
/** The call being timed (n8n runs one node at a time; the node awaits each store call). */
let current = null;

function write(entry) {
	if (!logFile) return;
	try {
		fs.appendFileSync(logFile, `${JSON.stringify(entry)}\n`);
	} catch {
		// Timing must never break the run it times.
	}
}

/** Wraps the repository instance n8n's DI container hands the helper, once. */
function timeRepository(helperFile) {
	const paths = [path.dirname(helperFile)];
	const { Container } = require(require.resolve('@n8n/di', { paths }));
	const { ProcessedDataRepository } = require(require.resolve('@n8n/db', { paths }));
	const repository = Container.get(ProcessedDataRepository);
	if (repository.__komboBenchTimed) return;
	repository.__komboBenchTimed = true;
	for (const name of REPOSITORY_METHODS) {
		const original = repository[name];
		repository[name] = async function timedRepositoryCall(...args) {
			const startedAt = performance.now();
			try {
				return await original.apply(this, args);
			} finally {
				if (current) {
					const ms = performance.now() - startedAt;
					current.db[name] = (current.db[name] ?? 0) + ms;
					current.dbMs += ms;
				}
			}
		};
	}
}

function patch(DeduplicationHelper, helperFile) {
	for (const method of TIMED) {
		const original = DeduplicationHelper.prototype[method];
		if (typeof original !== 'function') continue;
		DeduplicationHelper.prototype[method] = async function timedStoreCall(items, ...rest) {
			try {
				timeRepository(helperFile);
			} catch {
				// Without the repository's share, the call's total is still timed.
			}
			const call = { method, items: Array.isArray(items) ? items.length : 0, dbMs: 0, db: {} };
			const previous = current;
			current = call;
			const startedAt = performance.now();
			const at = Date.now();
			let outcome = 'ok';
			try {
				const result = await original.call(this, items, ...rest);
				if (result && Array.isArray(result.processed)) {
					call.processed = result.processed.length;
					call.new = result.new.length;
				}
				return result;
			} catch (error) {
				outcome = `error: ${(error && error.message) || error}`;
				throw error;
			} finally {
				current = previous;
				write({ ...call, at, ms: performance.now() - startedAt, outcome, pid: process.pid });
			}
		};
	}
}

const originalLoad = Module._load;
Module._load = function loadAndTime(request, parent, isMain) {
	const exported = originalLoad.apply(this, arguments);
	if (!patched && /deduplication-helper/.test(request) && exported && typeof exported.DeduplicationHelper === 'function') {
		let file = request;
		try {
			file = Module._resolveFilename(request, parent, isMain);
		} catch {
			// Keep the request as given.
		}
		if (/[\\/]n8n[\\/]dist[\\/]deduplication[\\/]deduplication-helper\.js$/.test(file)) {
			patched = true;
			patch(exported.DeduplicationHelper, file);
			write({ method: 'loaded', file, pid: process.pid });
		}
	}
	return exported;
};
