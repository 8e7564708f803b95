'use strict';

// What `npm run bench` measures, and how often. Runs repeat more where they are short and noisy,
// less where they are long and bound by the stand-in's fixed latency.
//
// Sections (`--only=` picks some): classic (the stand-in on this machine, at once or 50 ms),
// distant (Kombo over a real network), multi (ten integrations at once), limits (Kombo's
// concurrency limit of 30, and a fragile integration's of 5), retire (Deactivate Courses Not in
// Input: 1,000 missing courses of 100,000), completions (Course Progression → Complete: 10,000
// completions over 2,000 learners and 500 courses, one integration and five).

const SECTIONS = ['classic', 'distant', 'multi', 'limits', 'retire', 'completions'];
const SIZES = [1_000, 10_000, 100_000];
const SCENARIOS = ['instant', 'delayed'];
const WAITS = [false, true];

/** Runs per measurement of the node and the floor. */
const REPEATS = {
	instant: { 1_000: 5, 10_000: 5, 100_000: 3 },
	delayed: { 1_000: 3, 10_000: 3, 100_000: 1 },
};

/**
 * One request per course costs real time linearly in the number of courses (at 50 ms a request
 * and four in flight, 100,000 courses take over half an hour), so the per-item approach is
 * measured on a sample and scaled linearly to the larger sizes; the table marks those cells.
 */
const PER_ITEM_REPEATS = {
	instant: { 1_000: 3 },
	delayed: { 1_000: 1 },
};

/** The mapping phase alone: the auto-mapped target, and defineBelow expressions for reference. */
const MAPPING_RUNS = [
	{ shape: 'auto', courses: 10_000, repeats: 5 },
	{ shape: 'auto', courses: 100_000, repeats: 1 },
	{ shape: 'expressions', courses: 1_000, repeats: 3 },
	{ shape: 'expressions', courses: 10_000, repeats: 1 },
];

/** Kombo's limit of writes in flight per integration, and a fragile connector's. */
const KOMBO_WRITE_LIMIT = 30;
const FRAGILE_WRITE_LIMIT = 5;
const FRAGILE_INTEGRATION = 'sandbox:fragile';
const REGULAR_INTEGRATION = 'sandbox:demo';
const MULTI_INTEGRATIONS = Array.from({ length: 10 }, (_, index) => `sandbox:customer-${String(index + 1).padStart(2, '0')}`);
/** Every integration the stand-in must know for the sections below. */
const BENCH_INTEGRATIONS = ['sandbox:demo', 'sandbox:second', FRAGILE_INTEGRATION, ...MULTI_INTEGRATIONS];

const DISTANT_SIZES = [10_000, 100_000];
// The protocol floor is short but, on a busy machine, CPU-bound at 100,000 courses: more runs.
const DISTANT_REPEATS = { 10_000: { node: 3, floor: 3 }, 100_000: { node: 2, floor: 3 } };
const MULTI_COURSES = 20_000;
const MULTI_REPEATS = 3;
// At 30 the node must reach its ceiling (27, after about 345 fast answers) for the case to test
// anything: 50,000 courses. At 5 it starts at 4, its ceiling there.
const LIMIT_REPEATS = 2;
const LIMIT_STUB = { concurrencyLimit: KOMBO_WRITE_LIMIT, concurrencyLimits: { [FRAGILE_INTEGRATION]: FRAGILE_WRITE_LIMIT } };
const LIMIT_CASES = [
	{ case: 'limit30', integration: REGULAR_INTEGRATION, limit: KOMBO_WRITE_LIMIT, courses: 50_000, repeats: 1 },
	{ case: 'limit5', integration: FRAGILE_INTEGRATION, limit: FRAGILE_WRITE_LIMIT, courses: 10_000, repeats: LIMIT_REPEATS },
];

/**
 * The classic section: the stand-in on this machine. The node runs before its floor, which sends
 * at the peak writes in flight the node reached (`writesInFlight: 'nodePeak'`).
 * @param {number[]} sizes @param {(n: number) => number} repeats
 */
function classicPlan(sizes, repeats) {
	/** @type {Array<Record<string, any>>} */
	const runs = [];
	for (const scenario of SCENARIOS) {
		for (const courses of sizes) {
			for (const wait of WAITS) {
				const times = repeats(REPEATS[scenario][courses] ?? 1);
				for (let run = 0; run < times; run++) {
					runs.push({ section: 'classic', approach: 'node', courses, scenario, wait });
					runs.push({ section: 'classic', approach: 'floor', courses, scenario, wait, writesInFlight: 'nodePeak' });
				}
				const perItemRepeats = PER_ITEM_REPEATS[scenario][courses] ?? 0;
				if (perItemRepeats > 0) {
					for (let run = 0; run < repeats(perItemRepeats); run++) {
						runs.push({ section: 'classic', approach: 'perItem', courses, scenario, wait, batchSize: 1 });
					}
				}
			}
		}
	}
	for (const mapping of MAPPING_RUNS) {
		if (!sizes.includes(mapping.courses)) continue;
		for (let run = 0; run < repeats(mapping.repeats); run++) {
			runs.push({ section: 'classic', approach: 'mapping', courses: mapping.courses, scenario: 'instant', wait: false, shape: mapping.shape });
		}
	}
	return runs;
}

/** Runs per scenario of the retirement case (100,000 courses in Kombo, 1,000 missing from the input). */
const RETIRE_REPEATS = { instant: 3, delayed: 1 };

/**
 * The retire section: the node (Create or Update, waiting, Deactivate Courses Not in Input) and
 * the floor doing the same requests with fetch, in each scenario, both at the floor's writes in
 * flight (RETIRE_WRITES_IN_FLIGHT, 4).
 * @param {(n: number) => number} repeats
 */
function retirePlan(repeats) {
	const { RETIRE_COURSES, RETIRE_MISSING, RETIRE_WRITES_IN_FLIGHT } = require('./retire');
	/** @type {Array<Record<string, any>>} */
	const runs = [];
	for (const scenario of SCENARIOS) {
		for (let run = 0; run < repeats(RETIRE_REPEATS[scenario]); run++) {
			for (const approach of ['retireFloor', 'retireNode']) {
				runs.push({ section: 'retire', approach, courses: RETIRE_COURSES, missing: RETIRE_MISSING, scenario, wait: true, writesInFlight: RETIRE_WRITES_IN_FLIGHT });
			}
		}
	}
	return runs;
}

/**
 * The bare client's writes in flight per integration in the completions case: the most the node's
 * lane ever allows (Kombo's 30 less the node's 10 % margin), from the first write on. The node
 * starts at 4 and grows towards it, so this floor is stronger than one at the node's own peak.
 */
const COMPLETIONS_BARE_WRITES = Math.floor(KOMBO_WRITE_LIMIT * 0.9);
/** One integration, and five side by side (row i to integration i mod 5). */
const COMPLETIONS_CASES = [
	{ case: 'one', integrations: [REGULAR_INTEGRATION] },
	{ case: 'five', integrations: MULTI_INTEGRATIONS.slice(0, 5) },
];
/**
 * Runs per case: the distant ones are long (the node's 12,000 writes each pay a new connection)
 * and bound by the simulated network, the local ones short and bound by CPU, so noisier.
 */
const COMPLETIONS_REPEATS = { distant: 1, instant: 2 };

/**
 * The completions section: the node, then the bare client on keep-alive connections, then (over
 * the distant network only, where it costs 80 ms a request) the bare client opening a new
 * connection per request as n8n's HTTP helper does; each case distant and on this machine.
 * @param {(n: number) => number} repeats
 */
function completionsPlan(repeats) {
	const { COMPLETION_ITEMS } = require('./completions');
	/** @type {Array<Record<string, any>>} */
	const runs = [];
	for (const scenario of /** @type {const} */ (['distant', 'instant'])) {
		for (const { case: name, integrations } of COMPLETIONS_CASES) {
			const common = { section: 'completions', case: name, scenario, wait: false, courses: COMPLETION_ITEMS, integrations };
			for (let run = 0; run < repeats(COMPLETIONS_REPEATS[scenario]); run++) {
				runs.push({ ...common, approach: 'completionsNode' });
				runs.push({ ...common, approach: 'completionsBare', writesInFlight: COMPLETIONS_BARE_WRITES, connectionPerRequest: false });
				if (scenario === 'distant') runs.push({ ...common, approach: 'completionsBare', writesInFlight: COMPLETIONS_BARE_WRITES, connectionPerRequest: true });
			}
		}
	}
	return runs;
}

/**
 * The network sections, all with the distant stand-in and Wait for Completion. Each repeat runs
 * the node first, then the bare client at the node's peak writes in flight, then the protocol
 * floor.
 * @param {string[]} only @param {number[]} distantSizes @param {(n: number) => number} repeats
 */
function networkPlan(only, distantSizes, repeats) {
	/** @type {Array<Record<string, any>>} */
	const runs = [];
	const base = { scenario: 'distant', wait: true };
	if (only.includes('distant')) {
		for (const courses of distantSizes) {
			const common = { ...base, section: 'distant', case: 'distant', courses, integrations: [REGULAR_INTEGRATION] };
			const times = DISTANT_REPEATS[courses] ?? { node: 1, floor: 1 };
			for (let run = 0; run < Math.max(repeats(times.node), repeats(times.floor)); run++) {
				if (run < repeats(times.node)) {
					runs.push({ ...common, approach: 'node' });
					runs.push({ ...common, approach: 'bareAtNode', writesInFlight: 'nodePeak', checks: 'node' });
				}
				if (run < repeats(times.floor)) runs.push({ ...common, approach: 'protocolFloor', writesInFlight: KOMBO_WRITE_LIMIT, checks: 'known' });
			}
		}
	}
	if (only.includes('multi')) {
		const common = { ...base, section: 'multi', case: 'multi', courses: MULTI_COURSES, integrations: MULTI_INTEGRATIONS };
		for (let run = 0; run < repeats(MULTI_REPEATS); run++) {
			runs.push({ ...common, approach: 'node' });
			runs.push({ ...common, approach: 'protocolFloor', writesInFlight: KOMBO_WRITE_LIMIT, checks: 'known' });
		}
	}
	if (only.includes('limits')) {
		for (const limitCase of LIMIT_CASES) {
			const common = { ...base, section: 'limits', case: limitCase.case, limit: limitCase.limit, courses: limitCase.courses, integrations: [limitCase.integration], stubOptions: LIMIT_STUB };
			for (let run = 0; run < repeats(limitCase.repeats); run++) {
				runs.push({ ...common, approach: 'node' });
				runs.push({ ...common, approach: 'protocolFloor', writesInFlight: limitCase.limit, checks: 'known' });
			}
		}
	}
	return runs;
}

/** @param {{ sizes?: number[], distantSizes?: number[], quick?: boolean, only?: string[] }} options */
function buildPlan({ sizes = SIZES, distantSizes = DISTANT_SIZES, quick = false, only = SECTIONS } = {}) {
	const repeats = (/** @type {number} */ n) => (quick ? 1 : n);
	return [
		...(only.includes('classic') ? classicPlan(sizes, repeats) : []),
		...networkPlan(only, distantSizes, repeats),
		...(only.includes('retire') ? retirePlan(repeats) : []),
		...(only.includes('completions') ? completionsPlan(repeats) : []),
	];
}

module.exports = {
	buildPlan,
	SECTIONS,
	SIZES,
	SCENARIOS,
	WAITS,
	DISTANT_SIZES,
	BENCH_INTEGRATIONS,
	MULTI_INTEGRATIONS,
	KOMBO_WRITE_LIMIT,
	FRAGILE_WRITE_LIMIT,
	COMPLETIONS_BARE_WRITES,
	COMPLETIONS_REPEATS,
};
