'use strict';

// Preloaded into the n8n processes of `npm run bench:dedup` (NODE_OPTIONS=--require, next to the
// e2e network guard). It changes nothing n8n or the node does; it only times, and writes one JSON
// line per event to KOMBO_BENCH_STORE_LOG:
//
// - every call n8n's own DeduplicationHelper (n8n/dist/deduplication/deduplication-helper.js)
//   receives: checkProcessedAndRecord, removeProcessed, clearAllProcessedItems, with its wall
//   time, the process's CPU time meanwhile, and the part spent in the ProcessedDataRepository
//   (the SQL query and TypeORM's JSON (de)serialisation of the one row);
// - every node n8n-core's WorkflowExecute runs (runNode: the node's own execute(), without the
//   engine's bookkeeping around it that n8n's executionTime includes), wall and CPU time;
// - at exit, the process's CPU time and peak RSS.
//
// Plain CommonJS with no dependencies: it runs inside n8n's Node 24.

const fs = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const logFile = process.env.KOMBO_BENCH_STORE_LOG;
const cpuSince = (start) => {
	const { user, system } = process.cpuUsage(start);
	return (user + system) / 1000;
};
const TIMED = ['checkProcessedAndRecord', 'removeProcessed', 'clearAllProcessedItems'];
const REPOSITORY_METHODS = ['findOne', 'insert', 'update', 'delete'];

let patchedStore = false;
let patchedEngine = false;
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
			const cpuAt = process.cpuUsage();
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
				write({ ...call, at, ms: performance.now() - startedAt, cpuMs: cpuSince(cpuAt), outcome, pid: process.pid });
			}
		};
	}
}

function patchEngine(WorkflowExecute) {
	const original = WorkflowExecute.prototype.runNode;
	if (typeof original !== 'function') return;
	WorkflowExecute.prototype.runNode = async function timedRunNode(workflow, executionData, ...rest) {
		const startedAt = performance.now();
		const cpuAt = process.cpuUsage();
		try {
			return await original.call(this, workflow, executionData, ...rest);
		} finally {
			write({ method: 'runNode', node: executionData?.node?.name, ms: performance.now() - startedAt, cpuMs: cpuSince(cpuAt), pid: process.pid });
		}
	};
}

function resolved(request, parent, isMain) {
	try {
		return Module._resolveFilename(request, parent, isMain);
	} catch {
		return request;
	}
}

const originalLoad = Module._load;
Module._load = function loadAndTime(request, parent, isMain) {
	const exported = originalLoad.apply(this, arguments);
	if (!patchedStore && /deduplication-helper/.test(request) && exported && typeof exported.DeduplicationHelper === 'function') {
		const file = resolved(request, parent, isMain);
		if (/[\\/]n8n[\\/]dist[\\/]deduplication[\\/]deduplication-helper\.js$/.test(file)) {
			patchedStore = true;
			patch(exported.DeduplicationHelper, file);
			write({ method: 'loaded', file, pid: process.pid });
		}
	}
	if (!patchedEngine && /workflow-execute/.test(request) && exported && typeof exported.WorkflowExecute === 'function') {
		const file = resolved(request, parent, isMain);
		if (/[\\/]n8n-core[\\/]dist[\\/]execution-engine[\\/]workflow-execute\.js$/.test(file)) {
			patchedEngine = true;
			patchEngine(exported.WorkflowExecute);
			write({ method: 'loaded', file, pid: process.pid });
		}
	}
	return exported;
};

if (logFile) {
	process.on('exit', () => {
		const usage = process.resourceUsage();
		write({ method: 'exit', cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000, maxRssKiB: usage.maxRSS, pid: process.pid });
	});
}
