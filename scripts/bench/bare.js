'use strict';

// Bare clients of Kombo's bulk API for the network scenarios: Node's global fetch (undici), which
// keeps connections alive, so that a connection is opened once and then carries request after
// request. No n8n, no validation. Two of them:
//
// - the protocol floor: as many writes in flight per integration as Kombo allows (30), every
//   integration at once, and each task checked once, as soon as it is done (it is told how long
//   tasks take), while the other batches are still being sent;
// - the bare client at the node's parallelism: the peak writes in flight the node reached, and
//   the node's check policy (every batch first, then each task 1 s after its submission, then
//   ×1.5 up to 15 s from the end of the previous check, at most the node's checks in flight).

const path = require('node:path');

const { bulkBody } = require('./courses');

/** The node's check schedule when the package does not say (the values of 45b0acb and later). */
const DEFAULT_CHECK_POLICY = { firstMs: 1_000, factor: 1.5, maxMs: 15_000, inFlight: 8 };
/** A task the floor finds still pending (it should not) is looked at again this much later. */
const RECHECK_MS = 50;

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * undici hands a connection back to its pool only just after the answer's body has been read:
 * a request sent in the same turn would open a second connection. One turn of the event loop
 * lets the next request of a lane reuse the connection, as a client that keeps one would.
 */
const yieldTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The node's check schedule and checks in flight, from the measured package's constants (named
 * FIRST_POLL_… before 45b0acb).
 * @param {string} packageDir
 */
function nodeCheckPolicy(packageDir) {
	/** @type {Record<string, number>} */
	let constants = {};
	try {
		constants = require(path.join(packageDir, 'dist/nodes/Kombo/helpers/constants.js'));
	} catch {
		// an unbuilt package: the defaults
	}
	return {
		firstMs: constants.FIRST_CHECK_DELAY_MS ?? constants.FIRST_POLL_DELAY_MS ?? DEFAULT_CHECK_POLICY.firstMs,
		factor: constants.CHECK_BACKOFF_FACTOR ?? constants.POLL_BACKOFF_FACTOR ?? DEFAULT_CHECK_POLICY.factor,
		maxMs: constants.MAX_CHECK_INTERVAL_MS ?? constants.MAX_POLL_INTERVAL_MS ?? DEFAULT_CHECK_POLICY.maxMs,
		inFlight: constants.MAX_PARALLEL_CHECKS ?? constants.MAX_PARALLEL_POLLS ?? DEFAULT_CHECK_POLICY.inFlight,
	};
}

/** @param {number} limit */
function semaphore(limit) {
	let active = 0;
	/** @type {Array<() => void>} */
	const waiting = [];
	return async (/** @type {() => Promise<any>} */ task) => {
		if (active < limit) active++;
		else await new Promise((resolve) => waiting.push(() => resolve(undefined)));
		try {
			return await task();
		} finally {
			const next = waiting.shift();
			if (next) next();
			else active--;
		}
	};
}

/**
 * Rows grouped by integration in input order, then cut into batches: what the node sends.
 * @param {any[]} rows @param {(row: any) => string} integrationOf @param {number} batchSize
 */
function batchesByIntegration(rows, integrationOf, batchSize) {
	/** @type {Map<string, any[]>} */
	const groups = new Map();
	for (const row of rows) {
		const id = integrationOf(row);
		const group = groups.get(id) ?? [];
		group.push(row);
		groups.set(id, group);
	}
	/** @type {Map<string, any[][]>} */
	const batches = new Map();
	for (const [id, group] of groups) {
		const list = [];
		for (let start = 0; start < group.length; start += batchSize) list.push(group.slice(start, start + batchSize));
		batches.set(id, list);
	}
	return batches;
}

/**
 * @param {{ rows: any[], baseUrl: string, apiKey: string, integrationOf: (row: any) => string,
 *   batchSize: number, wait: boolean, writesPerIntegration: number,
 *   checks: { policy: 'known', taskMs: number } | { policy: 'node', packageDir: string } }} options
 */
async function runBare({ rows, baseUrl, apiKey, integrationOf, batchSize, wait, writesPerIntegration, checks }) {
	const call = async (/** @type {string} */ method, /** @type {string} */ route, /** @type {string} */ integrationId, /** @type {unknown} */ body) => {
		const response = await fetch(`${baseUrl}${route}`, {
			method,
			headers: {
				Accept: 'application/json',
				'Content-Type': 'application/json',
				Authorization: `Bearer ${apiKey}`,
				'X-Integration-Id': integrationId,
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const json = await response.json();
		await yieldTurn();
		if (!response.ok || json.status !== 'success') {
			throw new Error(`${method} ${route}: HTTP ${response.status} ${JSON.stringify(json.error)}`);
		}
		return json.data;
	};
	const check = async (/** @type {any} */ task) =>
		await call('GET', `/lms/courses/bulk/${encodeURIComponent(task.taskId)}`, task.integrationId);

	/** @type {Array<{ batch: any[], integrationId: string, taskId: string, submittedAt: number, result: any, done?: Promise<void> }>} */
	const tasks = [];
	/** Checks each task once it is done: at its answer plus the task's known duration. @param {any} task */
	const checkWhenDone = async (task, /** @type {number} */ taskMs) => {
		await sleep(task.submittedAt + taskMs - Date.now());
		for (;;) {
			const data = await check(task);
			if (data.status !== 'PENDING') {
				task.result = data;
				return;
			}
			await sleep(RECHECK_MS);
		}
	};

	const lanes = [];
	for (const [integrationId, batches] of batchesByIntegration(rows, integrationOf, batchSize)) {
		let next = 0;
		const laneCount = Math.max(1, Math.min(writesPerIntegration, batches.length));
		for (let lane = 0; lane < laneCount; lane++) {
			lanes.push(
				(async () => {
					while (next < batches.length) {
						const batch = batches[next++];
						const data = await call('POST', '/lms/courses/bulk', integrationId, bulkBody(batch));
						const task = { batch, integrationId, taskId: String(data.task_id), submittedAt: Date.now(), result: undefined };
						if (wait && checks.policy === 'known') {
							task.done = checkWhenDone(task, checks.taskMs);
							// Awaited once every batch is sent; a failure before that must not crash the run unheard.
							task.done.catch(() => undefined);
						}
						tasks.push(task);
					}
				})(),
			);
		}
	}
	await Promise.all(lanes);

	const statuses = { SUCCEEDED: 0, FAILED: 0, PENDING: 0 };
	if (!wait) {
		statuses.PENDING = rows.length;
		return statuses;
	}
	if (checks.policy === 'known') {
		await Promise.all(tasks.map((task) => task.done));
	} else {
		// The node's policy: checks start once every batch is sent, each task on its own schedule.
		const policy = nodeCheckPolicy(checks.packageDir);
		const delayMs = (/** @type {number} */ index) => Math.min(policy.firstMs * policy.factor ** index, policy.maxMs);
		const limit = semaphore(policy.inFlight);
		await Promise.all(
			tasks.map(async (task) => {
				let dueAt = task.submittedAt + delayMs(0);
				for (let checksDone = 1; ; checksDone++) {
					await sleep(dueAt - Date.now());
					const data = await limit(async () => await check(task));
					if (data.status !== 'PENDING') {
						task.result = data;
						return;
					}
					dueAt = Date.now() + delayMs(checksDone);
				}
			}),
		);
	}
	for (const task of tasks) {
		const byOriginId = new Map((task.result.data ?? []).map((/** @type {any} */ item) => [item.origin_id, item.status]));
		for (const row of task.batch) {
			const status = byOriginId.get(row.origin_id) ?? 'FAILED';
			statuses[status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED']++;
		}
	}
	return statuses;
}

module.exports = { runBare, nodeCheckPolicy, batchesByIntegration, semaphore };
