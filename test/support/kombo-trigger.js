'use strict';

// The Kombo Trigger of a published workflow, in process: each delivery goes to the node's
// webhook() through n8n-core's own WebhookContext (the IWebhookFunctions n8n hands a trigger),
// with the package loaded from `dist` as n8n loads it. Around the call it does what n8n 2.41.1's
// production webhooks do (LiveWebhooks.executeWebhook, checked in the real app by test:e2e):
//
// - the workflow's static data is read from the database for each request (null until something
//   was saved) and saved after the answer when the node changed it;
// - when the node starts the workflow, WorkflowRunner.run first builds another Workflow over the
//   same static data object (establishContextForPersistence), which clears its "changed" flag; the
//   save after the answer then writes nothing. Only while the saved static data is still null does
//   the webhook's Workflow hold a copy of its own, so only the first record is ever saved;
// - a request the node answers itself gets that answer; an error becomes n8n's 500.
//
// Plain JavaScript: `n8n-node lint` forbids node:http and `process` in .ts files.

const crypto = require('node:crypto');
const http = require('node:http');

const { loadPackage, createCredentialsHelper, createAdditionalData } = require('./engine');

const WEBHOOK_CREDENTIAL = 'komboWebhookApi';
const WORKFLOW_ID = 'kombo-trigger-workflow';

/**
 * @typedef {object} TriggerAnswer
 * @property {number} status         the HTTP status the sender gets
 * @property {unknown} body          what it gets with it
 * @property {boolean} started       whether the workflow starts
 * @property {Array<Record<string, any>>} items  the items it starts with (none when it does not)
 * @property {Error} [error]         what the node threw, if it did
 */

/**
 * @param {{ secret: string, parameters?: Record<string, unknown>, nodeName?: string, packageDir?: string }} options
 *   `parameters` are the trigger's (Events, Options), as in a workflow's JSON
 */
async function createKomboTrigger({ secret, parameters = {}, nodeName = 'Kombo Trigger', packageDir }) {
	const pkg = await loadPackage(packageDir);
	const { Workflow } = require('n8n-workflow');
	const { WebhookContext } = require('n8n-core');
	const type = `${pkg.packageName}.komboTrigger`;
	const nodeType = /** @type {any} */ (pkg.nodeTypes.getByNameAndVersion(type, 1));
	const webhookDescription = nodeType.description.webhooks[0];
	const credentialsHelper = createCredentialsHelper(pkg, { [WEBHOOK_CREDENTIAL]: { webhookSecret: secret } });
	/** The workflow's static data as the database holds it: JSON text, or null before the first save. @type {string | null} */
	let saved = null;
	/** @type {import('n8n-workflow').INode} */
	const node = {
		id: 'kombo-trigger-node',
		name: nodeName,
		type,
		typeVersion: 1,
		position: [0, 0],
		webhookId: 'kombo-trigger-webhook',
		parameters: /** @type {any} */ (parameters),
		credentials: { [WEBHOOK_CREDENTIAL]: { id: 'kombo-webhook-credential', name: 'Kombo webhook' } },
	};

	/**
	 * One POST to the trigger's Production URL.
	 * @param {{ body: Buffer | string, headers?: Record<string, string> }} request
	 * @returns {Promise<TriggerAnswer>}
	 */
	async function deliver({ body, headers = {} }) {
		const rawBody = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
		const fromDatabase = saved === null ? null : JSON.parse(saved);
		const workflowOver = (/** @type {unknown} */ staticData) =>
			new Workflow({ id: WORKFLOW_ID, name: 'Kombo Trigger', nodes: [node], connections: {}, active: true, nodeTypes: pkg.nodeTypes, staticData: /** @type {any} */ (staticData), settings: { executionOrder: 'v1' } });
		const workflow = workflowOver(fromDatabase);
		/** @type {{ status?: number, body?: unknown }} */
		const answered = {};
		const response = {
			status(/** @type {number} */ code) {
				answered.status = code;
				return response;
			},
			json(/** @type {unknown} */ data) {
				answered.body = data;
				return response;
			},
			send(/** @type {unknown} */ data) {
				answered.body = data;
				return response;
			},
			end() {
				return response;
			},
		};
		let parsed = {};
		try {
			parsed = JSON.parse(rawBody.toString('utf8'));
		} catch {
			// n8n leaves the body as {} when it is not JSON; the node reads rawBody anyway.
		}
		const lowerCased = Object.fromEntries(Object.entries(headers).map(([key, value]) => [key.toLowerCase(), value]));
		const additionalData = {
			...createAdditionalData(undefined, credentialsHelper, `trigger-${crypto.randomUUID()}`),
			httpRequest: { method: 'POST', headers: lowerCased, rawBody, body: parsed, params: {}, query: {} },
			httpResponse: response,
		};
		const webhookData = { httpMethod: 'POST', node: nodeName, path: `${node.webhookId}/${webhookDescription.path}`, webhookDescription, workflowId: WORKFLOW_ID, isTest: false };
		const context = new WebhookContext(workflow, /** @type {any} */ (workflow.getNode(nodeName)), /** @type {any} */ (additionalData), 'webhook', /** @type {any} */ (webhookData), [], null);
		/** @type {import('n8n-workflow').IWebhookResponseData} */
		let result;
		try {
			result = await nodeType.webhook.call(context);
		} catch (error) {
			return { status: 500, body: { message: 'Workflow Webhook Error: Workflow could not be started!' }, started: false, items: [], error: /** @type {Error} */ (error) };
		}
		if (result.workflowData) workflowOver(fromDatabase);
		if (/** @type {any} */ (workflow.staticData).__dataChanged === true) saved = JSON.stringify(workflow.staticData);
		// The trigger's webhook sets no responseData, so n8n 2.41.1 answers with its default's name as the body.
		if (result.workflowData) return { status: 200, body: 'firstEntryJson', started: true, items: result.workflowData[0].map((item) => item.json) };
		if (result.noWebhookResponse) return { status: answered.status ?? 200, body: answered.body, started: false, items: [] };
		return { status: 200, body: result.webhookResponse ?? { message: 'Webhook call received' }, started: false, items: [] };
	}

	return {
		deliver,
		nodeName,
		/** What the trigger keeps in the workflow's static data, as saved (undefined before the first save). */
		memory: () => (saved === null ? undefined : JSON.parse(saved)[`node:${nodeName}`]),
	};
}

/**
 * A loopback URL in front of a trigger, for the stand-in's webhooks to post to: every request goes
 * to `trigger.deliver` with its bytes and headers as they arrived, and is answered as the trigger
 * answers. `answers` lists each request with its answer, oldest first.
 * @param {Awaited<ReturnType<typeof createKomboTrigger>>} trigger
 */
async function startTriggerEndpoint(trigger) {
	/** @type {Array<{ headers: import('node:http').IncomingHttpHeaders, raw: Buffer, answer: TriggerAnswer }>} */
	const answers = [];
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', async () => {
			const raw = Buffer.concat(chunks);
			const headers = /** @type {Record<string, string>} */ (Object.fromEntries(Object.entries(req.headers).filter(([, value]) => typeof value === 'string')));
			const answer = await trigger.deliver({ body: raw, headers });
			answers.push({ headers: req.headers, raw, answer });
			const text = typeof answer.body === 'string';
			res.writeHead(answer.status, { 'Content-Type': text ? 'text/plain' : 'application/json' });
			res.end(text ? answer.body : JSON.stringify(answer.body ?? {}));
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(undefined));
	});
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}/webhook/kombo-trigger-webhook/webhook`,
		answers,
		async close() {
			const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
			server.closeAllConnections();
			await closed;
		},
	};
}

module.exports = { createKomboTrigger, startTriggerEndpoint };
