'use strict';

// The floor: the least a client must do to push the same courses through Kombo's bulk API.
// Plain fetch, the node's batches, writes in flight and check schedule, no n8n and no validation.
// Like the node, it submits every batch first and then polls the accepted tasks.

const path = require('node:path');

const { nodeCheckPolicy, semaphore } = require('./bare');
const { bulkBody } = require('./courses');

/**
 * Writes in flight when the bench does not say: a fixed limit of the package if it has one
 * (MAX_PARALLEL_POSTS, 4, before the adaptive limiter of 44433a1), else where the node starts.
 * @param {string} packageDir
 */
function defaultWrites(packageDir) {
	const constants = require(path.join(packageDir, 'dist/nodes/Kombo/helpers/constants.js'));
	return constants.MAX_PARALLEL_POSTS ?? constants.INITIAL_WRITES_PER_INTEGRATION ?? 4;
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


/**
 * @param {{ rows: ReturnType<typeof import('./courses').courseRow>[], baseUrl: string, apiKey: string,
 *   integrationId: string, wait: boolean, batchSize: number, packageDir: string, writesInFlight?: number }} options
 */
async function runFloor({ rows, baseUrl, apiKey, integrationId, wait, batchSize, packageDir, writesInFlight }) {
	const policy = nodeCheckPolicy(packageDir);
	const writes = writesInFlight ?? defaultWrites(packageDir);
	const pollDelayMs = (/** @type {number} */ pollIndex) => Math.min(policy.firstMs * policy.factor ** pollIndex, policy.maxMs);
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
	const tasks = await pool(batches, writes, async (batch) => {
		const data = await call('POST', '/lms/courses/bulk', bulkBody(batch));
		return { batch, taskId: String(data.task_id), submittedAt: Date.now(), result: undefined };
	});

	const statuses = { SUCCEEDED: 0, FAILED: 0, PENDING: 0 };
	if (!wait) {
		statuses.PENDING = rows.length;
		return statuses;
	}
	const limit = semaphore(policy.inFlight);
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
