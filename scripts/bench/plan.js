'use strict';

// What `npm run bench` measures, and how often. Runs repeat more where they are short and noisy,
// less where they are long and bound by the stand-in's fixed latency.

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

/** @param {{ sizes?: number[], quick?: boolean }} options */
function buildPlan({ sizes = SIZES, quick = false } = {}) {
	const repeats = (/** @type {number} */ n) => (quick ? 1 : n);
	/** @type {Array<Record<string, any>>} */
	const runs = [];
	for (const scenario of SCENARIOS) {
		for (const courses of sizes) {
			for (const wait of WAITS) {
				const times = repeats(REPEATS[scenario][courses] ?? 1);
				for (let run = 0; run < times; run++) {
					runs.push({ approach: 'floor', courses, scenario, wait });
					runs.push({ approach: 'node', courses, scenario, wait });
				}
				const perItemRepeats = PER_ITEM_REPEATS[scenario][courses] ?? 0;
				if (perItemRepeats > 0) {
					for (let run = 0; run < repeats(perItemRepeats); run++) {
						runs.push({ approach: 'perItem', courses, scenario, wait, batchSize: 1 });
					}
				}
			}
		}
	}
	for (const mapping of MAPPING_RUNS) {
		if (!sizes.includes(mapping.courses)) continue;
		for (let run = 0; run < repeats(mapping.repeats); run++) {
			runs.push({ approach: 'mapping', courses: mapping.courses, scenario: 'instant', wait: false, shape: mapping.shape });
		}
	}
	return runs;
}

/** Runs per scenario of the retirement case (100,000 courses in Kombo, 1,000 missing from the input). */
const RETIRE_REPEATS = { instant: 3, delayed: 1 };

/**
 * The retirement case: the node (Create or Update, waiting, Deactivate Courses Not in Input) and
 * the floor doing the same requests with fetch, in each scenario.
 * @param {{ quick?: boolean }} options
 */
function buildRetirePlan({ quick = false } = {}) {
	const { RETIRE_COURSES, RETIRE_MISSING } = require('./retire');
	/** @type {Array<Record<string, any>>} */
	const runs = [];
	for (const scenario of SCENARIOS) {
		for (let run = 0; run < (quick ? 1 : RETIRE_REPEATS[scenario]); run++) {
			for (const approach of ['retireFloor', 'retireNode']) {
				runs.push({ approach, courses: RETIRE_COURSES, missing: RETIRE_MISSING, scenario, wait: true });
			}
		}
	}
	return runs;
}

module.exports = { buildPlan, buildRetirePlan, SIZES, SCENARIOS, WAITS };
