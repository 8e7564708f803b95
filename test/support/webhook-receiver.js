'use strict';

// A webhook endpoint for tests of the stand-in's webhooks: it keeps every request exactly as it
// arrived (raw bytes and headers) and answers with the statuses it is told to, 200 otherwise.
// It listens on a loopback address only. Plain JavaScript: the lint of .ts files forbids node:http.

const http = require('node:http');

const { isLoopbackHost } = require('./kombo-webhooks');

/**
 * @typedef {object} ReceivedWebhook
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string} method
 * @property {string} path
 * @property {Buffer} raw     the body's bytes as they arrived
 * @property {any} json       the body parsed, or undefined when it is not JSON
 * @property {number} answered  the status this receiver answered
 */

/**
 * Starts a receiver on `host` (127.0.0.1 unless another loopback address is given).
 * @param {{ host?: string, path?: string }} [options]
 */
async function startWebhookReceiver({ host = '127.0.0.1', path = '/webhook/kombo' } = {}) {
	if (!isLoopbackHost(host)) throw new Error(`a test receiver listens on a loopback address only, not "${host}"`);
	/** @type {ReceivedWebhook[]} */
	const received = [];
	/** Statuses for the next requests, in order. @type {number[]} */
	const script = [];
	/** @type {Array<{ count: number, resolve: (list: ReceivedWebhook[]) => void }>} */
	let waiting = [];

	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const raw = Buffer.concat(chunks);
			let json;
			try {
				json = JSON.parse(raw.toString('utf8'));
			} catch {
				json = undefined;
			}
			const status = script.length > 0 ? /** @type {number} */ (script.shift()) : 200;
			received.push({ headers: req.headers, method: req.method ?? '', path: req.url ?? '', raw, json, answered: status });
			res.writeHead(status, { 'Content-Type': 'text/plain' });
			res.end(status < 300 ? 'ok' : 'nope');
			const ready = waiting.filter((wait) => received.length >= wait.count);
			waiting = waiting.filter((wait) => received.length < wait.count);
			for (const wait of ready) wait.resolve([...received]);
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, host, () => resolve(undefined));
	});
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	const urlHost = host.includes(':') ? `[${host}]` : host;

	return {
		url: `http://${urlHost}:${port}${path}`,
		port,
		received,
		/** Answers the next requests with these statuses, in order, then 200 again. @param {number[]} statuses */
		answerWith(...statuses) {
			script.push(...statuses);
		},
		/** Forgets the requests received and the statuses not used yet. */
		clear() {
			received.length = 0;
			script.length = 0;
		},
		/** Resolves once `count` requests in all have arrived, with all of them. @param {number} count */
		waitFor(count) {
			if (received.length >= count) return Promise.resolve([...received]);
			return new Promise((resolve) => waiting.push({ count, resolve }));
		},
		async close() {
			const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
			server.closeAllConnections();
			await closed;
		},
	};
}

/** @typedef {Awaited<ReturnType<typeof startWebhookReceiver>>} WebhookReceiver */

module.exports = { startWebhookReceiver };
