'use strict';

// Runs one measurement in a child process (scripts/bench/worker.js) against the stub that lives in
// this process, and adds what the stub counted.

const { fork } = require('node:child_process');
const path = require('node:path');

const { phaseRecorder, seedCatalogue } = require('./retire');

const WORKER = path.join(__dirname, 'worker.js');
const WARMUP_COURSES = 1000;

/** The stub's behaviour in each scenario; the warm-up always runs against the instant one. */
const SCENARIOS = {
	instant: { latencyMs: 0, completeAfterPolls: 0, completeAfterMs: undefined },
	delayed: { latencyMs: 50, completeAfterPolls: 0, completeAfterMs: 2000 },
};
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
 * @param {import('../../test/support/kombo-stub').KomboStub} stub
 * @param {{ approach: string, courses: number, wait: boolean, scenario: 'instant' | 'delayed',
 *   shape?: 'auto' | 'expressions', batchSize?: number, execArgv?: string[], profileDir?: string, packageDir: string }} spec
 */
async function measure(stub, spec) {
	stub.reset({ ...SCENARIOS.instant, ...STUB_BOOKKEEPING });
	const workerSpec = {
		approach: spec.approach,
		courses: spec.courses,
		wait: spec.wait,
		shape: spec.shape ?? 'auto',
		batchSize: spec.batchSize ?? 100,
		missing: spec.missing,
		stubUrl: stub.url,
		apiKey: stub.apiKey,
		integrationId: stub.integrations[0],
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
		const retiring = spec.approach.startsWith('retire');
		const recorder = retiring ? phaseRecorder() : undefined;
		// The retirement case: Kombo holds the whole catalogue already, and none of the LMS's own courses.
		const retireSetup = recorder ? { nativeCourses: 0, onRequest: recorder.onRequest, onResponse: recorder.onResponse } : {};
		stub.reset({ ...SCENARIOS[spec.scenario], ...STUB_BOOKKEEPING, ...retireSetup });
		if (retiring) seedCatalogue(stub, stub.integrations[0], spec.courses);
		const resultPromise = waitFor(child, 'result');
		child.send({ type: 'go' });
		const result = await resultPromise;
		const stats = stub.stats();
		await exited;
		return {
			...spec,
			...result,
			posts: stats.posts,
			polls: stats.polls,
			listings: stats.listings,
			deactivations: stats.deactivations,
			violations: stats.violations,
			maxInFlight: stats.maxInFlight,
			phase: recorder?.phase,
		};
	} catch (error) {
		if (child.exitCode === null) child.kill();
		throw error;
	}
}

module.exports = { measure, SCENARIOS, WARMUP_COURSES };
