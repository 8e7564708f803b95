'use strict';

// What the e2e runner needs to exercise a published trigger in the real n8n app: raw POSTs to its
// Production URL (the bytes and headers exactly as given, since the signature covers the bytes),
// and the executions n8n recorded, read through the REST API as the owner.

const crypto = require('node:crypto');
const http = require('node:http');

/** Kombo's X-Kombo-Signature for these bytes: HMAC-SHA256, base64url without padding. */
function signatureOf(body, secret) {
	return crypto.createHmac('sha256', secret).update(body).digest('base64url');
}

/**
 * n8n's Production URL path of a node's webhook (n8n 2.41, NodeHelpers.getNodeWebhookPath): the
 * node's webhookId, then the path its description gives, under /webhook/.
 */
function productionPath(node, descriptionPath = 'webhook') {
	return `/webhook/${node.webhookId}/${descriptionPath}`;
}

/**
 * Posts these bytes as they are. Resolves with the status, the headers, the text and the JSON (if
 * it is JSON).
 * @param {number} port @param {string} urlPath @param {Buffer | string} body @param {Record<string, string>} headers @param {number} [timeoutMs]
 */
function postRaw(port, urlPath, body, headers = {}, timeoutMs = 60_000) {
	const raw = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
	return new Promise((resolve, reject) => {
		const req = http.request(
			{ host: '127.0.0.1', port, method: 'POST', path: urlPath, headers: { ...headers, 'content-length': raw.length }, timeout: timeoutMs, agent: false },
			(res) => {
				const chunks = [];
				res.on('data', (chunk) => chunks.push(chunk));
				res.on('end', () => {
					const text = Buffer.concat(chunks).toString('utf8');
					let json;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode, headers: res.headers, text, json });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`POST ${urlPath} timed out`)));
		req.on('error', reject);
		req.end(raw);
	});
}

/**
 * A Kombo event as the runner sends it: its exact bytes and the headers Kombo sends with them.
 * `signWith` null sends no signature.
 * @param {object} event @param {string | null} signWith
 */
function komboDelivery(event, signWith) {
	const body = Buffer.from(JSON.stringify(event), 'utf8');
	const headers = { 'content-type': 'application/json' };
	if (signWith !== null) headers['x-kombo-signature'] = signatureOf(body, signWith);
	return { body, headers };
}

/**
 * The executions of a workflow, newest first, as the execution list shows them (GET /rest/executions).
 * @param {{ get: (path: string) => Promise<any> }} rest
 */
async function executionsOf(rest, workflowId) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const res = await rest.get(`/rest/executions?filter=${filter}&limit=100`);
	if (res.status !== 200) throw new Error(`GET /rest/executions answered ${res.status}: ${res.text.slice(0, 300)}`);
	return res.json.data.results;
}

/**
 * Waits until a workflow has `count` finished executions (none running), and returns them, newest
 * first. Fails when more appear, or when they do not finish within `timeoutMs`.
 */
async function waitForExecutions(rest, workflowId, count, timeoutMs = 60_000) {
	const deadline = Date.now() + timeoutMs;
	let last = [];
	while (Date.now() < deadline) {
		last = await executionsOf(rest, workflowId);
		const done = last.filter((execution) => !['new', 'running', 'waiting'].includes(execution.status));
		if (last.length > count) break;
		if (done.length === count && last.length === count) return last;
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	throw new Error(`expected ${count} finished executions of ${workflowId}, found ${last.length}: ${last.map((e) => `${e.id} ${e.mode} ${e.status}`).join(', ')}`);
}

/**
 * One execution with its run data (GET /rest/executions/:id; n8n sends the data serialised with
 * `flatted`, which is taken from the n8n app's own dependencies).
 * @param {string} appDir the n8n app's folder
 */
async function executionRun(rest, id, appDir) {
	const flatted = require(require.resolve('flatted', { paths: [appDir] }));
	const res = await rest.get(`/rest/executions/${id}`);
	if (res.status !== 200) throw new Error(`GET /rest/executions/${id} answered ${res.status}: ${res.text.slice(0, 300)}`);
	const execution = res.json.data;
	return { ...execution, data: typeof execution.data === 'string' ? flatted.parse(execution.data) : execution.data };
}

/** The json of the items a node output in a run (its first run, first output unless told). */
function nodeOutput(run, nodeName, output = 0) {
	const task = run.data.resultData.runData[nodeName]?.[0];
	if (!task) throw new Error(`node "${nodeName}" did not run; nodes that ran: ${Object.keys(run.data.resultData.runData).join(', ')}`);
	return (task.data?.main?.[output] ?? []).map((item) => item.json);
}

module.exports = { signatureOf, productionPath, postRaw, komboDelivery, executionsOf, waitForExecutions, executionRun, nodeOutput };
