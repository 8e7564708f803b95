'use strict';

// Runs one measurement in a child process (scripts/bench/worker.js) against the stub that lives in
// this process, and adds what the stub counted, and when (the run's timeline).

const { fork } = require('node:child_process');
const os = require('node:os');
const path = require('node:path');

const { completionSeeds, completionsProbe, standInOutcome } = require('./completions');
const { phaseRecorder, seedCatalogue } = require('./retire');

const WORKER = path.join(__dirname, 'worker.js');
const WARMUP_COURSES = 1000;

/** The stub's behaviour in each scenario; the warm-up always runs against the instant one. */
const SCENARIOS = {
	instant: { latencyMs: 0, connectMs: 0, completeAfterPolls: 0, completeAfterMs: undefined },
	delayed: { latencyMs: 50, connectMs: 0, completeAfterPolls: 0, completeAfterMs: 2000 },
	// Kombo over a real network: a 40 ms round trip, 80 ms more for each new connection (TCP and
	// TLS handshakes), tasks done 3 s after they were created, idle connections kept for 60 s (as
	// cloud load balancers commonly do; with the stub's default of 5 s, fetch gives up a connection
	// after 3 s idle, just when a client comes back to check a 3 s task).
	distant: { latencyMs: 40, connectMs: 80, completeAfterPolls: 0, completeAfterMs: 3000, keepAliveTimeoutMs: 60_000 },
};
/** How long a measured run may leave the stand-in's idle keep-alive connections to close. */
const COLD_START_SETTLE_MS = 50;
const STUB_BOOKKEEPING = { maxRequestsKept: 20 };

/**
 * @param {any} child
 * @param {string} type
 */
function waitFor(child, type) {
	return new Promise((resolve, reject) => {
		const onMessage = (/** @type {any} */ message) => {
			if (message.type === type) {
				cleanup();
				resolve(message);
			} else if (message.type === 'error') {
				cleanup();
				reject(new Error(`bench worker failed: ${message.message}`));
			}
		};
		const onExit = (/** @type {number} */ code) => {
			cleanup();
			reject(new Error(`bench worker exited with ${code} before "${type}"`));
		};
		const cleanup = () => {
			child.off('message', onMessage);
			child.off('exit', onExit);
		};
		child.on('message', onMessage);
		child.on('exit', onExit);
	});
}

/**
 * When things happened at the stand-in during a run, in ms since the run started (the child's
 * clock at its start, the same wall clock): the first write's arrival, the last accepted write's
 * answer, the last check's answer, and for every task how long after it was done the check that
 * saw it done was answered.
 * @param {import('../../test/support/kombo-stub').KomboStub} stub
 * @param {number | undefined} completeAfterMs
 */
function timelineProbe(stub, completeAfterMs) {
	const state = {
		firstWriteAt: Infinity,
		lastWriteAt: -Infinity,
		firstCheckAt: Infinity,
		lastCheckAt: -Infinity,
		writeMs: 0,
		writes: 0,
		checkMs: 0,
		checks: 0,
		lags: /** @type {number[]} */ ([]),
	};
	const seenDone = new Set();
	/** @param {import('../../test/support/kombo-stub').RecordedRequest} request */
	const onRequest = (request) => {
		if (request.method === 'POST' && request.route === '/lms/courses/bulk') state.firstWriteAt = Math.min(state.firstWriteAt, request.at);
	};
	/** @param {import('../../test/support/kombo-stub').RecordedRequest} request */
	const onResponse = (request) => {
		const now = Date.now();
		if (request.method === 'POST' && request.route === '/lms/courses/bulk') {
			if (request.status === 200) state.lastWriteAt = Math.max(state.lastWriteAt, now);
			state.writeMs += now - request.at;
			state.writes++;
		}
		if (request.method === 'GET' && request.route.startsWith('/lms/courses/bulk/')) {
			state.firstCheckAt = Math.min(state.firstCheckAt, request.at);
			state.lastCheckAt = Math.max(state.lastCheckAt, now);
			state.checkMs += now - request.at;
			state.checks++;
			const task = request.taskId ? stub.tasks.get(request.taskId) : undefined;
			if (task && task.status !== 'PENDING' && !seenDone.has(task.task_id)) {
				seenDone.add(task.task_id);
				state.lags.push(now - (task.createdAtMs + (completeAfterMs ?? 0)));
			}
		}
	};
	return {
		hooks: { onRequest, onResponse },
		/** @param {number} startedAt  Date.now() at the start of the run */
		result: (startedAt) => {
			const since = (/** @type {number} */ at) => (Number.isFinite(at) ? at - startedAt : NaN);
			const lags = [...state.lags].sort((a, b) => a - b);
			return {
				firstWriteMs: since(state.firstWriteAt),
				lastWriteMs: since(state.lastWriteAt),
				lastCheckMs: since(state.lastCheckAt),
				// At the stand-in, from a request's arrival to its answer: how long one takes, and how
				// many were in flight on average between the first and the last.
				meanWriteMs: state.writes ? state.writeMs / state.writes : NaN,
				meanWritesInFlight: state.writes ? state.writeMs / (state.lastWriteAt - state.firstWriteAt) : NaN,
				meanCheckMs: state.checks ? state.checkMs / state.checks : NaN,
				meanChecksInFlight: state.checks ? state.checkMs / (state.lastCheckAt - state.firstCheckAt) : NaN,
				checkLagMedianMs: lags.length ? lags[Math.floor(lags.length / 2)] : NaN,
				checkLagMaxMs: lags.length ? lags[lags.length - 1] : NaN,
			};
		},
	};
}

/**
 * @param {import('../../test/support/kombo-stub').KomboStub} stub
 * @param {{ approach: string, courses: number, wait: boolean, scenario: 'instant' | 'delayed' | 'distant',
 *   shape?: 'auto' | 'expressions', batchSize?: number, execArgv?: string[], profileDir?: string, packageDir: string,
 *   integrations?: string[], stubOptions?: Record<string, any>, writesInFlight?: number, checks?: 'known' | 'node',
 *   missing?: number, connectionPerRequest?: boolean }} spec
 */
async function measure(stub, spec) {
	const scenario = SCENARIOS[spec.scenario];
	const integrations = spec.integrations ?? [stub.integrations[0]];
	// The completions case: every reset (the warm-up's and the run's) seeds its learners, courses
	// and progressions; they are not part of the spec, which goes into the results file.
	const completing = spec.approach.startsWith('completions');
	const extra = { ...(spec.stubOptions ?? {}), ...(completing ? completionSeeds(integrations) : {}) };
	stub.reset({ ...SCENARIOS.instant, ...STUB_BOOKKEEPING, ...extra });
	const workerSpec = {
		approach: spec.approach,
		courses: spec.courses,
		wait: spec.wait,
		shape: spec.shape ?? 'auto',
		batchSize: spec.batchSize ?? 100,
		missing: spec.missing,
		stubUrl: stub.url,
		apiKey: stub.apiKey,
		integrationId: integrations[0],
		integrations,
		writesInFlight: spec.writesInFlight,
		checks: spec.checks,
		connectionPerRequest: spec.connectionPerRequest ?? false,
		taskMs: scenario.completeAfterMs ?? 0,
		warmupCourses: WARMUP_COURSES,
		profileDir: spec.profileDir,
		packageDir: spec.packageDir,
	};
	const child = fork(WORKER, [JSON.stringify(workerSpec)], {
		execArgv: ['--expose-gc', ...(spec.execArgv ?? [])],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		env: {
			...process.env,
			N8N_LOG_LEVEL: 'silent',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_SSRF_PROTECTION_ENABLED: 'false',
		},
	});
	const exited = new Promise((resolve) => child.once('exit', resolve));
	try {
		await waitFor(child, 'warmed');
		// A keep-alive client must not carry warm connections from its warm-up into the run.
		stub.closeIdleConnections();
		await new Promise((resolve) => setTimeout(resolve, COLD_START_SETTLE_MS));
		const probe = completing ? completionsProbe() : timelineProbe(stub, scenario.completeAfterMs);
		const retiring = spec.approach.startsWith('retire');
		const recorder = retiring ? phaseRecorder() : undefined;
		// The retirement case: Kombo holds the whole catalogue already, and none of the LMS's own
		// courses; its phases are recorded beside the timeline.
		const hooks = recorder
			? {
					nativeCourses: 0,
					onRequest: (/** @type {any} */ request) => {
						probe.hooks.onRequest(request);
						recorder.onRequest(request);
					},
					onResponse: (/** @type {any} */ request) => {
						probe.hooks.onResponse(request);
						recorder.onResponse(request);
					},
				}
			: probe.hooks;
		stub.reset({ ...scenario, ...STUB_BOOKKEEPING, ...extra, ...hooks });
		if (retiring) seedCatalogue(stub, integrations[0], spec.courses);
		const resultPromise = waitFor(child, 'result');
		// The machine is shared: its load when the run starts goes beside the run's figures.
		const loadAtStart = os.loadavg()[0];
		const stubCpu = process.cpuUsage();
		child.send({ type: 'go' });
		const result = await resultPromise;
		const stubCpuUsed = process.cpuUsage(stubCpu);
		const stats = stub.stats();
		const loadAtEnd = os.loadavg()[0];
		await exited;
		return {
			...spec,
			...result,
			loadAtStart,
			loadAtEnd,
			posts: stats.posts,
			polls: stats.polls,
			listings: stats.listings,
			deactivations: stats.deactivations,
			tasks: stats.tasks,
			violations: stats.violations,
			maxInFlight: stats.maxInFlight,
			maxInFlightByIntegration: stats.maxInFlightByIntegration,
			connections: stats.connections,
			rejected429: stats.rejected429,
			userListings: stats.userListings,
			progressionListings: stats.progressionListings,
			enrolments: stats.enrolments,
			completions: stats.completions,
			duplicateEnrolments: stats.duplicateEnrolments,
			recompletions: stats.recompletions,
			standIn: completing ? standInOutcome(stub, integrations) : undefined,
			taskMs: scenario.completeAfterMs,
			// CPU time of this process (the stand-in) during the run: on a busy machine, what it needs
			// may bound a fast client more than the simulated network does.
			stubCpuMs: (stubCpuUsed.user + stubCpuUsed.system) / 1000,
			timeline: probe.result(result.startedAtEpochMs),
			phase: recorder?.phase,
		};
	} catch (error) {
		if (child.exitCode === null) child.kill();
		throw error;
	}
}

module.exports = { measure, SCENARIOS, WARMUP_COURSES };
