'use strict';

// Runs a real workflow through n8n-core's WorkflowExecute with this package loaded from `dist`
// by PackageDirectoryLoader, as n8n loads a community package. Plain JavaScript: `n8n-node lint`
// forbids `process` and timers in .ts files.

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const { staticDataStore } = require('./static-data');

// n8n-core writes `<user folder>/.n8n/config` with a fresh encryption key when first loaded:
// keep it out of the home folder. Its logger would print every node error a test provokes.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-kombo-test-'));
}
if (!process.env.N8N_LOG_LEVEL) process.env.N8N_LOG_LEVEL = 'silent';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CREDENTIAL_TYPE = 'komboApi';
const INPUT_NODE_TYPE = 'n8n-nodes-kombo-test.input';
const INPUT_NODE_NAME = 'Input';

/**
 * @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData
 * @typedef {import('n8n-workflow').INodeParameters} INodeParameters
 * @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject
 * @typedef {import('n8n-workflow').IRunData} IRunData
 * @typedef {import('n8n-workflow').IRun} IRun
 * @typedef {import('n8n-workflow').INodeType} INodeType
 * @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType
 * @typedef {import('n8n-workflow').ICredentialType} ICredentialType
 * @typedef {import('n8n-workflow').IHttpRequestOptions} IHttpRequestOptions
 *
 * @typedef {object} LoadedPackage
 * @property {string} packageName      e.g. "n8n-nodes-kombo"
 * @property {string} packageDir
 * @property {import('n8n-core').PackageDirectoryLoader} loader
 * @property {import('n8n-workflow').INodeTypes} nodeTypes  the package's nodes plus the Input test node
 * @property {(name: string) => ICredentialType} credentialType
 *
 * @typedef {object} RunWorkflowOptions
 * @property {INodeParameters} nodeParameters  the Kombo node's parameters (defaults are filled in as n8n does)
 * @property {Array<INodeExecutionData | Record<string, unknown>>} items  input rows: plain objects become `{ json }`
 * @property {ICredentialDataDecryptedObject | Record<string, ICredentialDataDecryptedObject>} credentials
 *   the komboApi credential's data (or a map of credential type → data)
 * @property {'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput'} [onError]
 * @property {string} [packageDir]   default: the repository root
 * @property {string} [nodeName]     default: "Kombo"
 * @property {string} [nodeType]     default: "<package name>.kombo"
 * @property {number} [typeVersion]  default: the node's latest version
 * @property {string} [nodeId]       default: "kombo-node" (the same in every run, as in a saved workflow)
 * @property {Record<string, unknown>} [nodeFields]  more fields of the Kombo node, e.g. how n8n marks a
 *   node that an AI agent runs as its tool (`rewireOutputLogTo: 'ai_tool'`)
 * @property {'manual' | 'trigger' | 'webhook' | 'cli'} [mode]  how the execution was started
 *   (default 'manual', as the editor's Execute button): n8n saves the workflow's static data at
 *   the end of every execution except manual ones
 * @property {boolean} [staticDataKeptAsLeft]  the worst case: whatever the node left in
 *   its copy of the static data is saved when the execution settles, even after a stop or a
 *   death (n8n 2.41 saves neither), so a test sees everything the node ever wrote there
 * @property {object} [runtime]  the runtime the Kombo node is constructed with (now, sleep,
 *   random, requestTimeoutMs): the node's one seam for time. Default: the one set with
 *   `useRuntime`, else none, so the node runs on real time as in n8n.
 *
 * @typedef {object} RunResult
 * @property {INodeExecutionData[][]} outputs  the node's outputs: [main] or [main, error]
 * @property {any} [error]  the node's error as n8n records it in runData (an ExecutionError:
 *   message, description, httpCode, context…; typed loosely so tests can read any of them)
 * @property {IRunData} runData
 * @property {number} executionTime            ms, as recorded by n8n for the node
 * @property {'success' | 'error' | 'canceled' | string} status  the execution's status (a node
 *   that fails on the abort after a cancel can make it 'error': see `canceled`)
 * @property {boolean} canceled               whether run.cancel() was called before the end
 * @property {IHttpRequestOptions[]} authenticatedRequests  every request as the credential
 *   helper authenticated it (the options n8n hands to its HTTP client), in order
 * @property {IRun} run                        the whole run n8n reports to workflowExecuteAfter
 * @property {number} wallTimeMs               from start to the end of the execution
 *
 * @typedef {object} RunningWorkflow
 * @property {Promise<RunResult>} promise  settles once the engine has finished (after a cancel too)
 * @property {() => void} cancel            stops the execution as n8n's Stop button does
 */

/** @type {Map<string, Promise<LoadedPackage>>} */
const packages = new Map();

/** @type {object | undefined} */
let defaultRuntime;

/**
 * Makes every following run construct the Kombo node with this runtime (a virtual clock), until
 * the returned function is called. The runtime reaches the node through its constructor, as
 * n8n's loader would pass nothing: nothing inside the built package is replaced.
 * @param {object} runtime
 * @returns {() => void}
 */
function useRuntime(runtime) {
	const previous = defaultRuntime;
	defaultRuntime = runtime;
	return () => {
		defaultRuntime = previous;
	};
}

/**
 * The package's node types for one run: the Kombo node constructed with the run's runtime.
 * @param {LoadedPackage} pkg
 * @param {object | undefined} runtime
 */
function nodeTypesFor(pkg, runtime) {
	if (!runtime) return pkg.nodeTypes;
	const { NodeHelpers } = n8nWorkflow();
	/** @type {Map<string, any>} */
	const constructed = new Map();
	/** @param {string} type */
	const getByName = (type) => {
		const loaded = pkg.nodeTypes.getByName(type);
		if (!type.startsWith(`${pkg.packageName}.`)) return loaded;
		let node = constructed.get(type);
		if (!node) {
			const NodeClass = /** @type {any} */ (loaded).constructor;
			node = new NodeClass(runtime);
			constructed.set(type, node);
		}
		return node;
	};
	return {
		getByName,
		/** @param {string} type @param {number} [version] */
		getByNameAndVersion: (type, version) => NodeHelpers.getVersionedNodeType(getByName(type), version),
		getKnownTypes: () => ({}),
	};
}

function n8nCore() {
	return require('n8n-core');
}

function n8nWorkflow() {
	return require('n8n-workflow');
}

/** A tiny node that outputs its input, so the Kombo node has a real previous node to pair with. */
function createInputNodeType() {
	/** @type {INodeType} */
	const nodeType = {
		description: {
			displayName: 'Input',
			name: INPUT_NODE_TYPE,
			group: ['input'],
			version: 1,
			description: 'Outputs the test rows',
			defaults: { name: INPUT_NODE_NAME },
			inputs: ['main'],
			outputs: ['main'],
			properties: [],
		},
		async execute() {
			return [
				this.getInputData().map((item, index) => ({
					json: item.json,
					...(item.binary ? { binary: item.binary } : {}),
					pairedItem: { item: index },
				})),
			];
		},
	};
	return nodeType;
}

/**
 * Loads a package from its built `dist` once per process (and directory).
 * @param {string} [packageDir]
 * @returns {Promise<LoadedPackage>}
 */
function loadPackage(packageDir = REPO_ROOT) {
	const dir = path.resolve(packageDir);
	let loaded = packages.get(dir);
	if (!loaded) {
		loaded = doLoadPackage(dir);
		packages.set(dir, loaded);
		loaded.catch(() => packages.delete(dir));
	}
	return loaded;
}

/** @param {string} packageDir @returns {Promise<LoadedPackage>} */
async function doLoadPackage(packageDir) {
	const { PackageDirectoryLoader } = n8nCore();
	const { NodeHelpers } = n8nWorkflow();
	const packageJson = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
	for (const file of [...(packageJson.n8n?.nodes ?? []), ...(packageJson.n8n?.credentials ?? [])]) {
		if (!fs.existsSync(path.join(packageDir, file))) {
			throw new Error(`${file} is missing in ${packageDir}: run \`npm run build\` first.`);
		}
	}
	const loader = new PackageDirectoryLoader(packageDir);
	await loader.loadAll();
	const packageName = loader.packageName;
	const inputNode = createInputNodeType();

	/** @param {string} type */
	const getByName = (type) => {
		if (type === INPUT_NODE_TYPE) return inputNode;
		const prefix = `${packageName}.`;
		const short = type.startsWith(prefix) ? type.slice(prefix.length) : undefined;
		const entry = short !== undefined ? loader.nodeTypes[short] : undefined;
		if (!entry)
			throw new Error(
				`Unknown node type "${type}" (known: ${Object.keys(loader.nodeTypes)
					.map((n) => prefix + n)
					.join(', ')})`,
			);
		return entry.type;
	};
	const nodeTypes = {
		getByName,
		/** @param {string} type @param {number} [version] */
		getByNameAndVersion: (type, version) =>
			NodeHelpers.getVersionedNodeType(getByName(type), version),
		getKnownTypes: () => ({}),
	};
	/** @param {string} name */
	const credentialType = (name) => {
		const entry = loader.credentialTypes[name];
		if (!entry)
			throw new Error(
				`Unknown credential type "${name}" (known: ${Object.keys(loader.credentialTypes).join(', ')})`,
			);
		return entry.type;
	};
	return { packageName, packageDir, loader, nodeTypes, credentialType };
}

/**
 * Fills in the credential's defaults and drops fields its display options hide, as n8n's
 * CredentialsHelper.applyDefaultsAndOverwrites does.
 * @param {ICredentialType} type
 * @param {ICredentialDataDecryptedObject} data
 */
function applyCredentialDefaults(type, data) {
	const { NodeHelpers } = n8nWorkflow();
	const withDefaults = NodeHelpers.getNodeParameters(
		type.properties,
		/** @type {any} */ (data),
		true,
		false,
		null,
		null,
	);
	// Keys the credential does not declare are kept, as n8n keeps them.
	return /** @type {ICredentialDataDecryptedObject} */ ({ ...data, ...(withDefaults ?? {}) });
}

/**
 * A credentials helper like n8n's: test data in place of the database, and the credential type's
 * generic `authenticate` applied with n8n's own expression resolution.
 * @param {LoadedPackage} pkg
 * @param {Record<string, ICredentialDataDecryptedObject>} credentialsByType
 */
function createCredentialsHelper(pkg, credentialsByType) {
	const { ICredentialsHelper, isExpression } = n8nWorkflow();

	class TestCredentialsHelper extends ICredentialsHelper {
		constructor() {
			super();
			/** Request options as authenticated, most recent last: what n8n hands to its HTTP client. */
			/** @type {IHttpRequestOptions[]} */
			this.authenticated = [];
		}

		/**
		 * @param {ICredentialDataDecryptedObject} credentials
		 * @param {string} typeName
		 * @param {any} requestOptions
		 * @param {any} [workflow]
		 * @param {any} [node]
		 */
		async authenticate(credentials, typeName, requestOptions, workflow, node) {
			const type = pkg.credentialType(typeName);
			let result = requestOptions;
			if (typeof type.authenticate === 'function') {
				result = await type.authenticate(credentials, requestOptions);
			} else if (type.authenticate && type.authenticate.type === 'generic') {
				if (!workflow || !node)
					throw new Error(
						'Workflow and node are required for declarative credential authentication',
					);
				/** @param {unknown} value */
				const resolve = (value) => {
					if (typeof value !== 'string' || !isExpression(value)) return value;
					const resolved = workflow.expression.getSimpleParameterValue(
						node,
						value,
						'internal',
						{ $credentials: credentials },
						undefined,
						'',
					);
					return resolved ? resolved.toString() : '';
				};
				if (requestOptions.headers === undefined) requestOptions.headers = {};
				for (const [outerKey, outerValue] of Object.entries(type.authenticate.properties)) {
					for (const [key, value] of Object.entries(outerValue ?? {})) {
						if (!requestOptions[outerKey]) requestOptions[outerKey] = {};
						requestOptions[outerKey][/** @type {string} */ (resolve(key))] = resolve(value);
					}
				}
			}
			this.authenticated.push({ ...result, headers: { ...(result.headers ?? {}) } });
			return result;
		}

		async preAuthentication() {
			return undefined;
		}

		async runPreAuthentication() {
			return undefined;
		}

		/** @param {string} _name */
		getParentTypes(_name) {
			return [];
		}

		isCredentialUsableByNode() {
			return true;
		}

		/**
		 * @param {any} _additionalData
		 * @param {any} _nodeCredentials
		 * @param {string} type
		 */
		async getDecrypted(_additionalData, _nodeCredentials, type) {
			const data = credentialsByType[type];
			if (!data) throw new Error(`No test credentials of type "${type}"`);
			return applyCredentialDefaults(pkg.credentialType(type), data);
		}

		async getCredentials() {
			const { Credentials } = n8nCore();
			return new Credentials({ id: null, name: '' }, '', '');
		}

		async updateCredentials() {}

		async updateCredentialsOauthTokenData() {}

		/** @param {string} type */
		getCredentialsProperties(type) {
			return pkg.credentialType(type).properties;
		}
	}
	return new TestCredentialsHelper();
}

/** @param {RunWorkflowOptions['credentials']} credentials @returns {Record<string, ICredentialDataDecryptedObject>} */
function credentialsMap(credentials) {
	if (
		credentials &&
		typeof credentials === 'object' &&
		CREDENTIAL_TYPE in credentials &&
		typeof credentials[CREDENTIAL_TYPE] === 'object'
	) {
		return /** @type {Record<string, ICredentialDataDecryptedObject>} */ (credentials);
	}
	return { [CREDENTIAL_TYPE]: /** @type {ICredentialDataDecryptedObject} */ (credentials ?? {}) };
}

/** @param {any} hooks @param {any} credentialsHelper @param {string} executionId */
function createAdditionalData(hooks, credentialsHelper, executionId) {
	const unsupported = (/** @type {string} */ what) => async () => {
		throw new Error(`${what} is not supported by the test engine`);
	};
	return {
		hooks,
		credentialsHelper,
		executionId,
		userId: 'test-user',
		variables: {},
		// Never called: n8n builds $execution.resumeUrl from these, so they must parse as URLs.
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		currentNodeParameters: undefined,
		executionTimeoutTimestamp: undefined,
		setExecutionStatus: () => {},
		sendDataToUI: () => {},
		logAiEvent: () => {},
		executeWorkflow: unsupported('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		startRunnerTask: unsupported('startRunnerTask'),
	};
}

/** @param {INodeType | IVersionedNodeType} nodeType */
function latestVersion(nodeType) {
	if ('nodeVersions' in nodeType) return nodeType.currentVersion;
	const { version } = nodeType.description;
	return Array.isArray(version) ? Math.max(...version) : version;
}

/** @param {RunWorkflowOptions['items']} items @returns {INodeExecutionData[]} */
function toExecutionItems(items) {
	return (items ?? []).map((item) => {
		const looksLikeItem =
			item &&
			typeof item === 'object' &&
			'json' in item &&
			typeof item.json === 'object' &&
			item.json !== null &&
			Object.keys(item).every((k) => ['json', 'binary', 'pairedItem', 'error'].includes(k));
		return looksLikeItem
			? { .../** @type {INodeExecutionData} */ (item) }
			: { json: /** @type {any} */ (item) };
	});
}

/**
 * Runs the node through n8n's engine: Input (the rows) → Kombo.
 * @param {RunWorkflowOptions} options
 * @returns {RunningWorkflow}
 */
function runWorkflow(options) {
	/** @type {{ cancel?: () => void, requested: boolean }} */
	const cancellation = { requested: false };
	const promise = startRun(options, cancellation);
	return {
		promise,
		cancel() {
			cancellation.requested = true;
			if (cancellation.cancel) cancellation.cancel();
		},
	};
}

/**
 * @param {RunWorkflowOptions} options
 * @param {{ cancel?: () => void, requested: boolean }} cancellation
 * @returns {Promise<RunResult>}
 */
async function startRun(options, cancellation) {
	const { nodeParameters, items, credentials, onError, packageDir, nodeName = 'Kombo', mode = 'manual' } = options;
	const staticData = staticDataStore();
	const pkg = await loadPackage(packageDir);
	const nodeTypes = nodeTypesFor(pkg, options.runtime ?? defaultRuntime);
	const { WorkflowExecute, ExecutionLifecycleHooks } = n8nCore();
	const { Workflow, createRunExecutionData } = n8nWorkflow();

	const nodeType = options.nodeType ?? `${pkg.packageName}.kombo`;
	const typeVersion = options.typeVersion ?? latestVersion(nodeTypes.getByName(nodeType));
	/** @type {import('n8n-workflow').INode} */
	const inputNode = {
		id: crypto.randomUUID(),
		name: INPUT_NODE_NAME,
		type: INPUT_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	/** @type {import('n8n-workflow').INode} */
	const komboNode = {
		// Stable, as in a saved workflow: n8n scopes the node's deduplication record by this ID.
		id: options.nodeId ?? 'kombo-node',
		name: nodeName,
		type: nodeType,
		typeVersion,
		position: [250, 0],
		parameters: nodeParameters ?? {},
		credentials: { [CREDENTIAL_TYPE]: { id: 'kombo-test-credential', name: 'Kombo account' } },
		...(onError ? { onError } : {}),
		...(options.nodeFields ?? {}),
	};
	/** @type {import('n8n-workflow').IConnections} */
	const connections = {
		[INPUT_NODE_NAME]: { main: [[{ node: nodeName, type: 'main', index: 0 }]] },
	};
	const executionId = `test-${crypto.randomUUID()}`;
	/** @type {import('n8n-workflow').IWorkflowBase} */
	const workflowData = {
		id: 'kombo-test-workflow',
		name: 'Kombo test workflow',
		active: false,
		isArchived: false,
		nodes: [inputNode, komboNode],
		connections,
		settings: { executionOrder: 'v1' },
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	};
	// The Workflow constructor fills in parameter defaults, as when n8n loads a saved workflow.
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: workflowData.nodes,
		connections,
		active: false,
		nodeTypes,
		staticData: staticData.snapshot(),
		settings: workflowData.settings,
	});

	const credentialsHelper = createCredentialsHelper(pkg, credentialsMap(credentials));
	const hooks = new ExecutionLifecycleHooks(mode, executionId, workflowData);
	const startedAt = Date.now();
	/** @type {IRun | undefined} */
	let reported;
	// n8n reports a cancelled run at once, while the node may still be stopping; the execution's
	// own promise settles only once the engine has really finished, so the result waits for it.
	hooks.addHandler('workflowExecuteAfter', (run, newStaticData) => {
		reported = reported ?? run;
		// As n8n's own hook: only what changed, never for a manual execution.
		if (mode !== 'manual' && newStaticData) staticData.save(executionId, newStaticData);
	});

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node: inputNode, data: { main: [toExecutionItems(items)] }, source: null },
			],
		},
	});
	const additionalData = createAdditionalData(hooks, credentialsHelper, executionId);
	const execution = new WorkflowExecute(
		/** @type {any} */ (additionalData),
		mode,
		runExecutionData,
	).processRunExecutionData(workflow);
	cancellation.cancel = () => execution.cancel();
	if (cancellation.requested) execution.cancel();

	const run = /** @type {IRun} */ ((await execution) ?? reported);
	if (options.staticDataKeptAsLeft) staticData.save(executionId, workflow.staticData);
	const runData = run.data.resultData.runData ?? {};
	const taskData = runData[nodeName]?.[0];
	const outputs = (taskData?.data?.main ?? []).map((output) => output ?? []);
	return {
		outputs,
		error:
			taskData?.error ??
			(run.data.resultData.error && run.data.resultData.lastNodeExecuted === nodeName
				? run.data.resultData.error
				: undefined),
		runData,
		executionTime: taskData?.executionTime ?? 0,
		status: run.status,
		canceled: cancellation.requested,
		run,
		wallTimeMs: Date.now() - startedAt,
		authenticatedRequests: credentialsHelper.authenticated,
	};
}

/**
 * Runs the credential's test the way n8n's CredentialsTester does (a throwaway node whose one
 * property routes `test.request`, run by n8n-core's RoutingNode with the decrypted credential),
 * and reports what was sent and received.
 * @param {{ credentials: ICredentialDataDecryptedObject, packageDir?: string, credentialType?: string }} options
 * @returns {Promise<{ result: { status: 'OK' | 'Error', message: string }, method: string, url: string, headers: Record<string, unknown>, status: number | undefined, body: unknown }>}
 */
async function testCredential({ credentials, packageDir, credentialType = CREDENTIAL_TYPE }) {
	const pkg = await loadPackage(packageDir);
	const { ExecuteContext, RoutingNode } = n8nCore();
	const { Workflow, NodeHelpers, createRunExecutionData } = n8nWorkflow();
	const type = pkg.credentialType(credentialType);
	if (!type.test) throw new Error(`Credential type "${credentialType}" has no test request`);
	const data = applyCredentialDefaults(type, credentials);
	const credentialsDecrypted = {
		id: 'kombo-test-credential',
		name: 'Kombo account',
		type: credentialType,
		data,
	};

	/** @type {{ status?: number, body?: unknown }} */
	const response = {};
	/** @type {INodeType} */
	const tempNodeType = {
		description: {
			displayName: 'Credential test',
			name: 'n8n-nodes-base.noOp',
			group: ['transform'],
			version: 1,
			description: '',
			defaults: {},
			inputs: ['main'],
			outputs: ['main'],
			credentials: [{ name: credentialType, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					default: '',
					routing: {
						request: type.test.request,
						output: {
							// Only observes the response; n8n's own test has no postReceive.
							postReceive: [
								async function capture(items, full) {
									response.status = full.statusCode;
									response.body = full.body;
									return items;
								},
							],
						},
					},
				},
			],
		},
	};
	const nodeTypes = {
		getByName: () => tempNodeType,
		/** @param {string} _t @param {number} [version] */
		getByNameAndVersion: (_t, version) => NodeHelpers.getVersionedNodeType(tempNodeType, version),
		getKnownTypes: () => ({}),
	};
	/** @type {import('n8n-workflow').INode} */
	const node = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: 'n8n-nodes-base.noOp',
		typeVersion: 1,
		position: [0, 0],
		credentials: {
			[credentialType]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const credentialsHelper = createCredentialsHelper(pkg, { [credentialType]: credentials });
	const executionId = `credential-test-${crypto.randomUUID()}`;
	const additionalData = createAdditionalData(undefined, credentialsHelper, executionId);
	const executeData = { node, data: {}, source: null };
	const context = new ExecuteContext(
		workflow,
		node,
		/** @type {any} */ (additionalData),
		'internal',
		createRunExecutionData({ executionData: null }),
		0,
		[],
		{ main: [[{ json: {} }]] },
		executeData,
		[],
	);
	const routingNode = new RoutingNode(context, tempNodeType, credentialsDecrypted);

	/** @type {{ status: 'OK' | 'Error', message: string }} */
	let result = { status: 'OK', message: 'Connection successful!' };
	try {
		await routingNode.runNode();
	} catch (error) {
		const e = /** @type {any} */ (error);
		if (e.cause?.response) {
			response.status = e.cause.response.status;
			response.body = e.cause.response.data;
			const rule = (type.test.rules ?? []).find(
				(r) => r.type === 'responseCode' && r.properties.value === response.status,
			);
			result = rule
				? { status: 'Error', message: /** @type {string} */ (rule.properties.message) }
				: {
						status: 'Error',
						message: e.cause.response.statusText || `Received HTTP status code: ${response.status}`,
					};
		} else if (e.cause?.code) {
			result = { status: 'Error', message: e.cause.code };
		} else {
			result = { status: 'Error', message: String(e.message) };
		}
	}
	const sent = credentialsHelper.authenticated.at(-1);
	return {
		result,
		method: String(sent?.method ?? 'GET'),
		url: sent ? joinUrl(sent.baseURL, sent.url) : '',
		headers: { ...(sent?.headers ?? {}) },
		status: response.status,
		body: response.body,
	};
}

/** Joins baseURL and url the way n8n's HTTP helper (axios) does. @param {unknown} baseURL @param {unknown} url */
function joinUrl(baseURL, url) {
	const relative = String(url ?? '');
	if (!baseURL || /^[a-z][a-z0-9+.-]*:\/\//i.test(relative)) return relative;
	return `${String(baseURL).replace(/\/+$/, '')}/${relative.replace(/^\/+/, '')}`;
}

module.exports = { runWorkflow, testCredential, loadPackage, useRuntime, createCredentialsHelper, createAdditionalData, REPO_ROOT, INPUT_NODE_NAME };
