'use strict';

// The floor: the least a client must do to push the same courses through Kombo's bulk API.
// Plain fetch, the node's batches, parallelism and poll schedule, no n8n and no validation.
// Like the node, it submits every batch first and then polls the accepted tasks.

const path = require('node:path');

const { bulkBody } = require('./courses');

/**
 * The node's own constants (a module without imports), so that both follow one schedule.
 * @param {string} packageDir
 */
function nodeConstants(packageDir) {
	return require(path.join(packageDir, 'dist/nodes/Kombo/helpers/constants.js'));
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

/**
 * @template I, O
 * @param {I[]} inputs @param {number} limit @param {(input: I) => Promise<O>} worker
 * @returns {Promise<O[]>}
 */
async function pool(inputs, limit, worker) {
	const results = new Array(inputs.length);
	let next = 0;
	const lanes = Array.from({ length: Math.max(1, Math.min(limit, inputs.length)) }, async () => {
		while (next < inputs.length) {
			const index = next++;
			results[index] = await worker(inputs[index]);
		}
	});
	await Promise.all(lanes);
	return results;
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
 * @param {{ rows: ReturnType<typeof import('./courses').courseRow>[], baseUrl: string, apiKey: string,
 *   integrationId: string, wait: boolean, batchSize: number, packageDir: string }} options
 */
async function runFloor({ rows, baseUrl, apiKey, integrationId, wait, batchSize, packageDir }) {
	const constants = nodeConstants(packageDir);
	// The poll constants were renamed (…_POLL_… to …_CHECK_…); --package may measure a build from before.
	const FIRST_POLL_DELAY_MS = constants.FIRST_CHECK_DELAY_MS ?? constants.FIRST_POLL_DELAY_MS;
	const POLL_BACKOFF_FACTOR = constants.CHECK_BACKOFF_FACTOR ?? constants.POLL_BACKOFF_FACTOR;
	const MAX_POLL_INTERVAL_MS = constants.MAX_CHECK_INTERVAL_MS ?? constants.MAX_POLL_INTERVAL_MS;
	const MAX_PARALLEL_POLLS = constants.MAX_PARALLEL_CHECKS ?? constants.MAX_PARALLEL_POLLS;
	// Writes in flight: a fixed number before the adaptive lanes, their starting number since.
	const MAX_PARALLEL_POSTS = constants.MAX_PARALLEL_POSTS ?? constants.INITIAL_WRITES_PER_INTEGRATION;
	const pollDelayMs = (/** @type {number} */ pollIndex) =>
		Math.min(FIRST_POLL_DELAY_MS * POLL_BACKOFF_FACTOR ** pollIndex, MAX_POLL_INTERVAL_MS);
	const headers = {
		Accept: 'application/json',
		'Content-Type': 'application/json',
		Authorization: `Bearer ${apiKey}`,
		'X-Integration-Id': integrationId,
	};
	const call = async (/** @type {string} */ method, /** @type {string} */ route, /** @type {unknown} */ body) => {
		const response = await fetch(`${baseUrl}${route}`, {
			method,
			headers,
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const json = await response.json();
		if (!response.ok || json.status !== 'success') {
			throw new Error(`${method} ${route}: HTTP ${response.status} ${JSON.stringify(json.error)}`);
		}
		return json.data;
	};

	const batches = [];
	for (let start = 0; start < rows.length; start += batchSize) batches.push(rows.slice(start, start + batchSize));
	const tasks = await pool(batches, MAX_PARALLEL_POSTS, async (batch) => {
		const data = await call('POST', '/lms/courses/bulk', bulkBody(batch));
		return { batch, taskId: String(data.task_id), submittedAt: Date.now(), result: undefined };
	});

	const statuses = { SUCCEEDED: 0, FAILED: 0, PENDING: 0 };
	if (!wait) {
		statuses.PENDING = rows.length;
		return statuses;
	}
	const limit = semaphore(MAX_PARALLEL_POLLS);
	await Promise.all(
		tasks.map(async (task) => {
			let polls = 0;
			let dueAt = task.submittedAt + pollDelayMs(0);
			for (;;) {
				await sleep(dueAt - Date.now());
				const data = await limit(async () => await call('GET', `/lms/courses/bulk/${encodeURIComponent(task.taskId)}`));
				if (data.status !== 'PENDING') {
					task.result = data;
					return;
				}
				polls++;
				dueAt = Date.now() + pollDelayMs(polls);
			}
		}),
	);
	for (const task of tasks) {
		const byOriginId = new Map((task.result.data ?? []).map((item) => [item.origin_id, item.status]));
		for (const row of task.batch) {
			const status = byOriginId.get(row.origin_id) ?? 'FAILED';
			statuses[status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED']++;
		}
	}
	return statuses;
}

module.exports = { runFloor, pool };
