'use strict';

// One measurement in a process of its own, so that its CPU time and peak RSS are its own. The
// Kombo stand-in runs in the parent. Protocol over IPC: an untimed warm-up run, 'warmed'; the
// parent resets the stub to the scenario and answers 'go'; the measured run, 'result'.
//
// Spec (argv[2], JSON): { approach: 'node' | 'floor' | 'perItem' | 'mapping' | 'protocolFloor' |
//   'bareAtNode' | 'retireNode' | 'retireFloor' | 'completionsNode' | 'completionsBare', courses,
//   missing, wait, shape: 'auto' | 'expressions', batchSize, stubUrl, apiKey, integrationId,
//   integrations, writesInFlight, checks: 'known' | 'node', connectionPerRequest, taskMs,
//   warmupCourses, packageDir, profileDir }
// The completions approaches take `courses` as the number of input items (completions asked for).
// With several integrations, row i goes to integrations[i % n] (its `integration` field), and the
// node reads it with the expression {{ $json.integration }} in its Integration ID option.

const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');
const { performance } = require('node:perf_hooks');

const { courseRows, AUTO_MAP_COLUMNS, EXPRESSION_COLUMNS } = require('./courses');
const { runBare } = require('./bare');
const { completionRows, runBareCompletions, COMPLETION_WARMUP_ITEMS } = require('./completions');
const { runFloor } = require('./floor');
const { retireRows, runRetireFloor } = require('./retire');

const RSS_SAMPLE_INTERVAL_MS = 5;
const NODE_TIMEOUT_S = 3600;
const SETTLE_STEP_MS = 50;
const SETTLE_IDLE_CPU_MS = 5;
const SETTLE_MAX_MS = 3_000;

const spec = JSON.parse(process.argv[2]);
const DIST = path.join(spec.packageDir, 'dist/nodes/Kombo');

/** @param {any} message */
const send = (message) => new Promise((resolve) => process.send(message, () => resolve(undefined)));

function nextMessage() {
	return new Promise((resolve) => process.once('message', resolve));
}

function collectGarbage() {
	if (typeof global.gc === 'function') global.gc();
}

/**
 * Waits until the process is idle. After gc() V8 goes on sweeping on background threads for a
 * while; that CPU time (over 150 ms in a small process) would otherwise be counted in the run.
 */
async function settle() {
	for (let waited = 0; waited < SETTLE_MAX_MS; waited += SETTLE_STEP_MS) {
		const start = process.cpuUsage();
		await new Promise((resolve) => setTimeout(resolve, SETTLE_STEP_MS));
		const used = process.cpuUsage(start);
		if ((used.user + used.system) / 1000 < SETTLE_IDLE_CPU_MS) return;
	}
}

/**
 * Profiles only the measured run (what --cpu-prof would give, minus module loading and warm-up)
 * and returns a function that writes the profile.
 * @param {string | undefined} directory
 */
async function startProfile(directory) {
	if (!directory) return async () => undefined;
	const session = new inspector.Session();
	session.connect();
	const post = (/** @type {string} */ method, /** @type {object} */ params = {}) =>
		new Promise((resolve, reject) =>
			session.post(method, params, (error, result) => (error ? reject(error) : resolve(result))),
		);
	await post('Profiler.enable');
	await post('Profiler.setSamplingInterval', { interval: 100 });
	await post('Profiler.start');
	return async () => {
		const { profile } = /** @type {any} */ (await post('Profiler.stop'));
		session.disconnect();
		fs.mkdirSync(directory, { recursive: true });
		const name = `${spec.approach}-${spec.shape}-${spec.courses}-${spec.wait ? 'wait' : 'nowait'}-${process.pid}.cpuprofile`;
		const file = path.join(directory, name);
		fs.writeFileSync(file, JSON.stringify(profile));
		return file;
	};
}

/** Size of the rows as JSON, without building one huge string. @param {unknown[]} rows */
function jsonBytes(rows) {
	let bytes = 2 + Math.max(0, rows.length - 1);
	for (const row of rows) bytes += Buffer.byteLength(JSON.stringify(row));
	return bytes;
}

/**
 * What the mapping measurement observes inside the node: the time from its first mapping read to
 * its first request (mapping, validation, duplicate check, batching), the calls to
 * getNodeParameter per parameter, and the expressions n8n evaluated in that window.
 */
function instrumentMapping() {
	const { Kombo } = require(path.join(DIST, 'Kombo.node.js'));
	const transport = require(path.join(DIST, 'transport/index.js'));
	const { Expression } = require('n8n-workflow');
	const probe = { startedAt: 0, endedAt: 0, parameterCalls: /** @type {Record<string, number>} */ ({}), expressions: 0 };
	const reset = () => {
		probe.startedAt = 0;
		probe.endedAt = 0;
		probe.parameterCalls = {};
		probe.expressions = 0;
	};
	const inWindow = () => probe.startedAt > 0 && probe.endedAt === 0;

	/** Wraps one execution's getNodeParameter to see the mapping's first read and count the reads. @param {any} ctx */
	const watch = (ctx) => {
		const getNodeParameter = ctx.getNodeParameter;
		ctx.getNodeParameter = (/** @type {string} */ name, /** @type {any[]} */ ...rest) => {
			if (name === 'columns.mappingMode' && probe.startedAt === 0) probe.startedAt = performance.now();
			if (inWindow()) probe.parameterCalls[name] = (probe.parameterCalls[name] ?? 0) + 1;
			return getNodeParameter.call(ctx, name, ...rest);
		};
	};
	const end = () => {
		if (inWindow()) probe.endedAt = performance.now();
	};
	if (typeof Kombo.prototype.execute === 'function') {
		// Before 45b0acb: execute on the prototype, requests through komboApiRequest.
		const execute = Kombo.prototype.execute;
		Kombo.prototype.execute = async function (/** @type {any[]} */ ...args) {
			watch(this);
			return await execute.apply(this, args);
		};
		const komboApiRequest = transport.komboApiRequest;
		transport.komboApiRequest = async (/** @type {any[]} */ ...args) => {
			end();
			return await komboApiRequest(...args);
		};
	} else {
		// Since 45b0acb: execute is set in the constructor and calls the router; requests go
		// through KomboClient.
		const routerModule = require(path.join(DIST, 'actions/router.js'));
		const router = routerModule.router;
		routerModule.router = async function (/** @type {any[]} */ ...args) {
			watch(this);
			return await router.apply(this, args);
		};
		const request = transport.KomboClient.prototype.request;
		transport.KomboClient.prototype.request = async function (/** @type {any[]} */ ...args) {
			end();
			return await request.apply(this, args);
		};
	}
	const resolve = Expression.prototype.resolveSimpleParameterValue;
	Expression.prototype.resolveSimpleParameterValue = function (...args) {
		if (inWindow()) probe.expressions++;
		return resolve.apply(this, args);
	};
	return { probe, reset };
}

function nodeRunner() {
	const { runWorkflow } = require('../../test/support/engine');
	const credentials = {
		apiKey: spec.apiKey,
		integrationId: spec.integrationId,
		region: 'custom',
		baseUrl: spec.stubUrl,
	};
	const options = { batchSize: spec.batchSize, timeout: NODE_TIMEOUT_S };
	if (spec.integrations?.length > 1) options.integrationId = '={{ $json.integration }}';
	// The retirement case holds the node to the floor's writes in flight per integration (4).
	const retireOptions = { deactivateMissing: true, maxShareDeactivated: 10, maxParallelRequests: spec.writesInFlight };
	return async (/** @type {any[]} */ rows, /** @type {boolean} */ wait, /** @type {boolean} */ retire = false) => {
		const result = await runWorkflow({
			nodeParameters: {
				resource: 'course',
				operation: 'upsert',
				columns: spec.shape === 'expressions' ? EXPRESSION_COLUMNS : AUTO_MAP_COLUMNS,
				waitForCompletion: wait,
				options: retire ? { ...options, ...retireOptions } : options,
			},
			items: rows,
			credentials,
			packageDir: spec.packageDir,
		}).promise;
		const statuses = { SUCCEEDED: 0, FAILED: 0, PENDING: 0, DEACTIVATED: 0 };
		for (const item of result.outputs[0] ?? []) {
			const status = item.json.status ?? item.json.details?.status;
			statuses[status === 'SUCCEEDED' || status === 'PENDING' || status === 'DEACTIVATED' ? status : 'FAILED']++;
		}
		return { ...statuses, error: result.error ? String(result.error.message) : undefined };
	};
}

function floorRunner() {
	return async (/** @type {any[]} */ rows, /** @type {boolean} */ wait) =>
		await runFloor({
			rows,
			baseUrl: spec.stubUrl,
			apiKey: spec.apiKey,
			integrationId: spec.integrationId,
			wait,
			batchSize: spec.batchSize,
			packageDir: spec.packageDir,
			writesInFlight: spec.writesInFlight,
		});
}

function retireFloorRunner() {
	return async (/** @type {any[]} */ rows) =>
		await runRetireFloor({
			rows,
			baseUrl: spec.stubUrl,
			apiKey: spec.apiKey,
			integrationId: spec.integrationId,
			batchSize: spec.batchSize,
			packageDir: spec.packageDir,
			writesInFlight: spec.writesInFlight,
		});
}

/** The keep-alive clients of the network scenarios (scripts/bench/bare.js). */
function bareRunner() {
	return async (/** @type {any[]} */ rows, /** @type {boolean} */ wait) =>
		await runBare({
			rows,
			baseUrl: spec.stubUrl,
			apiKey: spec.apiKey,
			integrationOf: (row) => row.integration ?? spec.integrationId,
			batchSize: spec.batchSize,
			wait,
			writesPerIntegration: spec.writesInFlight,
			checks: spec.checks === 'known' ? { policy: 'known', taskMs: spec.taskMs } : { policy: 'node', packageDir: spec.packageDir },
		});
}

/**
 * Course Progression → Complete, learner by {{ $json.email }}, course by origin ID
 * {{ $json.course }}, Completed At and Score from the item, Enroll If Needed (its default, on);
 * the integration from {{ $json.integration }} when there are several.
 */
function completionsNodeRunner() {
	const { runWorkflow } = require('../../test/support/engine');
	const credentials = { apiKey: spec.apiKey, integrationId: spec.integrationId, region: 'custom', baseUrl: spec.stubUrl };
	const options = spec.integrations?.length > 1 ? { integrationId: '={{ $json.integration }}' } : {};
	return async (/** @type {any[]} */ rows) => {
		const result = await runWorkflow({
			nodeParameters: {
				resource: 'courseProgression',
				operation: 'complete',
				learnerEmail: '={{ $json.email }}',
				courseOriginId: '={{ $json.course }}',
				completedAt: '={{ $json.completed_at }}',
				score: '={{ $json.score }}',
				options,
			},
			items: rows,
			credentials,
			packageDir: spec.packageDir,
		}).promise;
		const outcome = { COMPLETED: 0, ALREADY_COMPLETED: 0, FAILED: 0, enrolled: 0, items: 0 };
		for (const item of result.outputs[0] ?? []) {
			outcome.items++;
			const status = item.json.status;
			if (status === 'COMPLETED' || status === 'ALREADY_COMPLETED') outcome[status]++;
			else outcome.FAILED++;
			if (item.json.enrolled === true) outcome.enrolled++;
		}
		return { ...outcome, error: result.error ? String(result.error.message) : undefined };
	};
}

/** The bare client of the completions case (scripts/bench/completions.js). */
function completionsBareRunner() {
	return async (/** @type {any[]} */ rows) =>
		await runBareCompletions({
			rows,
			baseUrl: spec.stubUrl,
			apiKey: spec.apiKey,
			integrationOf: (row) => row.integration ?? spec.integrationId,
			writesPerIntegration: spec.writesInFlight,
			connectionPerRequest: spec.connectionPerRequest,
			packageDir: spec.packageDir,
		});
}

/** The input rows, spread over the run's integrations when it has several. @param {number} count */
function inputRows(count) {
	const rows = courseRows(count, spec.shape);
	const integrations = spec.integrations ?? [];
	if (integrations.length > 1) rows.forEach((row, index) => (row.integration = integrations[index % integrations.length]));
	return rows;
}

async function main() {
	const mapping = spec.approach === 'mapping' ? instrumentMapping() : undefined;
	const retiring = spec.approach === 'retireNode' || spec.approach === 'retireFloor';
	const completing = spec.approach === 'completionsNode' || spec.approach === 'completionsBare';
	const base =
		spec.approach === 'floor' || spec.approach === 'retireFloor'
			? floorRunner()
			: spec.approach === 'protocolFloor' || spec.approach === 'bareAtNode'
				? bareRunner()
				: spec.approach === 'completionsNode'
					? completionsNodeRunner()
					: spec.approach === 'completionsBare'
						? completionsBareRunner()
						: nodeRunner();
	const integrations = spec.integrations ?? [spec.integrationId];
	/** @type {(rows: any[], wait: boolean) => Promise<any>} */
	let run = base;
	if (spec.approach === 'retireNode') run = async (rows, wait) => await base(rows, wait, true);
	if (spec.approach === 'retireFloor') run = retireFloorRunner();

	// A long-lived n8n process is warm: JIT-compiled code and a loaded package. The completions
	// case warms up on its first items, against the same seeds (reset before the run).
	await base(completing ? completionRows(integrations, COMPLETION_WARMUP_ITEMS) : inputRows(spec.warmupCourses), false);
	mapping?.reset();
	await send({ type: 'warmed' });
	await nextMessage();

	const rows = retiring ? retireRows(spec.courses, spec.missing) : completing ? completionRows(integrations, spec.courses) : inputRows(spec.courses);
	const inputJsonBytes = jsonBytes(rows);
	collectGarbage();
	await settle();
	const rssBefore = process.memoryUsage.rss();
	let sampledPeak = rssBefore;
	const sampler = setInterval(() => {
		sampledPeak = Math.max(sampledPeak, process.memoryUsage.rss());
	}, RSS_SAMPLE_INTERVAL_MS);
	const stopProfile = await startProfile(spec.profileDir);
	const cpuStart = process.cpuUsage();
	// The wall clock at the start, for the parent's timeline of the run (one clock on one machine).
	const startedAtEpochMs = Date.now();
	const startedAt = performance.now();
	const outcome = await run(rows, spec.wait);
	const wallMs = performance.now() - startedAt;
	const cpu = process.cpuUsage(cpuStart);
	clearInterval(sampler);
	const profile = await stopProfile();
	// The kernel's high-water mark also sees the peaks of synchronous stretches the sampler misses.
	const peakRss = Math.max(sampledPeak, process.resourceUsage().maxRSS * 1024);

	await send({
		type: 'result',
		startedAtEpochMs,
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		rssBefore,
		peakRss,
		inputJsonBytes,
		outcome,
		profile,
		mapping: mapping
			? {
					ms: mapping.probe.endedAt - mapping.probe.startedAt,
					parameterCalls: mapping.probe.parameterCalls,
					expressions: mapping.probe.expressions,
				}
			: undefined,
	});
	process.removeAllListeners('disconnect');
	process.disconnect();
}

// A parent that is gone (stopped with Ctrl-C, say) leaves nobody to answer: stop too.
process.once('disconnect', () => process.exit(1));

main().catch(async (error) => {
	await send({ type: 'error', message: String(error?.stack ?? error) });
	process.exit(1);
});
