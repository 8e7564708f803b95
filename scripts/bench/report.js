'use strict';

// Turns the measurements into the Markdown tables of BENCHMARKS.md.

const { SCENARIOS, WAITS } = require('./plan');

const BATCH_SIZE = 100;
const TARGETS = {
	wallRatioAt10k: 1.3,
	mappingMsPer1000: 20,
	rssGrowthPerJsonByte: 3,
};
const SCENARIO_LABELS = {
	instant: 'at once',
	delayed: '50 ms, tasks 2 s',
};

/** @param {number[]} values */
function median(values) {
	const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
	if (sorted.length === 0) return NaN;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** @param {number} ms */
function duration(ms) {
	if (!Number.isFinite(ms)) return '—';
	if (ms < 1_000) return `${Math.round(ms)} ms`;
	if (ms < 100_000) return `${(ms / 1_000).toFixed(2)} s`;
	return `${Math.round(ms / 1_000)} s`;
}

/** @param {number} bytes */
const megabytes = (bytes) => (Number.isFinite(bytes) ? `${Math.round(bytes / 1e6)} MB` : '—');

/** @param {number} value @param {number} [digits] */
const ratio = (value, digits = 2) => (Number.isFinite(value) ? `${value.toFixed(digits)}×` : '—');

/** @param {number} value */
const count = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—');

/** @param {number} courses */
const coursesLabel = (courses) => courses.toLocaleString('en-US');

/**
 * Medians of every group of runs that share approach, size, scenario, wait and mapping shape.
 * @param {any[]} results
 */
function summarise(results) {
	/** @type {Map<string, any[]>} */
	const groups = new Map();
	for (const result of results) {
		const key = groupKey(result);
		const group = groups.get(key) ?? [];
		group.push(result);
		groups.set(key, group);
	}
	/** @type {Map<string, any>} */
	const summary = new Map();
	for (const [key, runs] of groups) {
		const first = runs[0];
		summary.set(key, {
			approach: first.approach,
			courses: first.courses,
			scenario: first.scenario,
			wait: first.wait,
			shape: first.shape ?? 'auto',
			runs: runs.length,
			wallMs: median(runs.map((run) => run.wallMs)),
			cpuMs: median(runs.map((run) => run.cpuMs)),
			posts: median(runs.map((run) => run.posts)),
			polls: median(runs.map((run) => run.polls)),
			peakRss: median(runs.map((run) => run.peakRss)),
			rssGrowth: median(runs.map((run) => run.peakRss - run.rssBefore)),
			inputJsonBytes: first.inputJsonBytes,
			mappingMs: median(runs.map((run) => run.mapping?.ms ?? NaN)),
			mapping: first.mapping,
			extrapolatedFrom: undefined,
		});
	}
	return summary;
}

/** @param {{ approach: string, courses: number, scenario: string, wait: boolean, shape?: string }} run */
function groupKey(run) {
	return [run.approach, run.courses, run.scenario, run.wait ? 'wait' : 'nowait', run.shape ?? 'auto'].join('/');
}

/**
 * The per-item figures at a size that was not run, scaled linearly from the largest smaller sample.
 * @param {Map<string, any>} summary
 * @param {number} courses @param {string} scenario @param {boolean} wait
 */
function perItemAt(summary, courses, scenario, wait) {
	const measured = summary.get(groupKey({ approach: 'perItem', courses, scenario, wait }));
	if (measured) return measured;
	const samples = [...summary.values()]
		.filter((s) => s.approach === 'perItem' && s.scenario === scenario && s.wait === wait && s.courses < courses)
		.sort((a, b) => b.courses - a.courses);
	const sample = samples[0];
	if (!sample) return undefined;
	const factor = courses / sample.courses;
	return {
		...sample,
		courses,
		wallMs: sample.wallMs * factor,
		cpuMs: sample.cpuMs * factor,
		posts: sample.posts * factor,
		polls: sample.polls * factor,
		peakRss: NaN,
		rssGrowth: NaN,
		extrapolatedFrom: sample.courses,
	};
}

/**
 * @param {any[]} results
 * @param {{ sizes: number[] }} options
 */
function buildReport(results, { sizes }) {
	const summary = summarise(results);
	const get = (/** @type {any} */ run) => summary.get(groupKey(run));
	const lines = [];
	const notes = new Set();

	lines.push(
		'### Create or Update, auto-mapped input',
		'',
		'Wall time and CPU time are medians over the runs counted in the last column. "Node CPU / 1,000" is the node’s CPU time minus the floor’s, per 1,000 courses: what n8n and the node add on top of the HTTP work. Per-item is one POST per course (and, with Wait for Completion, polls of each one-course task), through n8n at its own writes in flight.',
		'',
		'| Courses | Stand-in answers | Wait | Wall: floor | Wall: node | Wall: per-item | Node ÷ floor | Per-item ÷ node | CPU: floor / node | Node CPU / 1,000 | POSTs: floor / node / per-item | Polls per task: floor / node / per-item | Peak RSS (growth): floor / node | Runs |',
		'|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	);
	for (const scenario of SCENARIOS) {
		for (const courses of sizes) {
			for (const wait of WAITS) {
				const floor = get({ approach: 'floor', courses, scenario, wait });
				const node = get({ approach: 'node', courses, scenario, wait });
				if (!floor || !node) continue;
				const perItem = perItemAt(summary, courses, scenario, wait);
				const mark = perItem?.extrapolatedFrom ? '*' : '';
				if (mark) notes.add('* per-item figures scaled linearly from a measured run of the size in brackets; one request per course costs the same at any size.');
				const perItemWall = perItem
					? `${mark ? '≈' : ''}${duration(perItem.wallMs)}${mark ? ` (${coursesLabel(perItem.extrapolatedFrom)})*` : ''}`
					: '—';
				if (node.cpuMs < floor.cpuMs) notes.add('A negative "Node CPU / 1,000" means the difference is within the run-to-run noise at that size.');
				const pollsPerTask = (/** @type {any} */ s) => (s && s.posts > 0 ? (s.polls / s.posts).toFixed(2) : '—');
				lines.push(
					`| ${coursesLabel(courses)} | ${SCENARIO_LABELS[scenario]} | ${wait ? 'yes' : 'no'} | ${duration(floor.wallMs)} | ${duration(node.wallMs)} | ${perItemWall} | ${ratio(node.wallMs / floor.wallMs)} | ${perItem ? `${mark ? '≈' : ''}${ratio(perItem.wallMs / node.wallMs, 1)}` : '—'} | ${duration(floor.cpuMs)} / ${duration(node.cpuMs)} | ${duration((node.cpuMs - floor.cpuMs) / (courses / 1_000))} | ${count(floor.posts)} / ${count(node.posts)} / ${perItem ? `${mark ? '≈' : ''}${count(perItem.posts)}` : '—'} | ${pollsPerTask(floor)} / ${pollsPerTask(node)} / ${perItem ? pollsPerTask(perItem) : '—'} | ${megabytes(floor.peakRss)} (+${megabytes(floor.rssGrowth)}) / ${megabytes(node.peakRss)} (+${megabytes(node.rssGrowth)}) | ${node.runs} / ${node.runs} / ${perItem ? `${perItem.runs}${mark}` : '—'} |`,
				);
			}
		}
	}
	lines.push('', ...[...notes].map((note) => `${note}`));

	const mappings = [...summary.values()].filter((s) => s.approach === 'mapping').sort((a, b) => a.shape.localeCompare(b.shape) || a.courses - b.courses);
	if (mappings.length > 0) {
		lines.push(
			'',
			'### Mapping and validation',
			'',
			'Time inside the node from its first read of the mapping to its first request: mapping every item, validating it, the duplicate check and batching. Measured through n8n’s engine, median of the runs.',
			'',
			'| Mapping | Courses | Mapping + validation | Per 1,000 courses | `columns.value` reads per item | Expressions evaluated per item | Runs |',
			'|---|---:|---:|---:|---:|---:|---:|',
		);
		for (const s of mappings) {
			const reads = (s.mapping?.parameterCalls?.['columns.value'] ?? 0) / s.courses;
			const expressions = (s.mapping?.expressions ?? 0) / s.courses;
			lines.push(
				`| ${s.shape === 'auto' ? 'auto-mapped input' : 'defined below, 7 expressions'} | ${coursesLabel(s.courses)} | ${duration(s.mappingMs)} | ${(s.mappingMs / (s.courses / 1_000)).toFixed(1)} ms | ${reads.toFixed(2)} | ${expressions.toFixed(2)} | ${s.runs} |`,
			);
		}
	}

	const targets = checkTargets(summary, mappings, sizes);
	lines.push('', '### Targets', '', '| Target | Measured | Holds |', '|---|---|---|');
	for (const target of targets) lines.push(`| ${target.name} | ${target.measured} | ${target.holds === undefined ? '—' : target.holds ? 'yes' : '**no**'} |`);
	return { markdown: lines.join('\n'), targets, summary };
}

/**
 * @param {Map<string, any>} summary
 * @param {any[]} mappings
 * @param {number[]} sizes
 */
function checkTargets(summary, mappings, sizes) {
	const targets = [];
	const nodeRuns = [...summary.values()].filter((s) => s.approach === 'node');
	const exactPosts = nodeRuns.every((s) => s.posts === Math.ceil(s.courses / BATCH_SIZE));
	targets.push({
		name: 'POSTs = ceil(N / batch size)',
		measured: nodeRuns.map((s) => `${coursesLabel(s.courses)} → ${count(s.posts)}`).filter((v, i, all) => all.indexOf(v) === i).join(', '),
		holds: nodeRuns.length > 0 ? exactPosts : undefined,
	});
	const waited = nodeRuns.filter((s) => s.wait);
	const pollsPerTask = (/** @type {string} */ scenario) =>
		waited.filter((s) => s.scenario === scenario).map((s) => `${coursesLabel(s.courses)}: ${(s.polls / s.posts).toFixed(2)}`).join(', ');
	const perItemWaited = [...summary.values()].filter((s) => s.approach === 'perItem' && s.wait);
	targets.push({
		name: 'Polls per task follow the task’s duration, not its size',
		measured: `tasks done at once: ${pollsPerTask('instant')}; tasks taking 2 s: ${pollsPerTask('delayed')} polls per 100-course task; per-item (1-course tasks): ${perItemWaited.map((s) => `${SCENARIO_LABELS[s.scenario]} ${(s.polls / s.posts).toFixed(2)}`).join(', ')}`,
		holds: waited.length > 0 ? waited.every((s) => s.polls / s.posts <= (s.scenario === 'instant' ? 1 : 2)) : undefined,
	});
	for (const scenario of SCENARIOS) {
		for (const wait of WAITS) {
			const node = summary.get(groupKey({ approach: 'node', courses: 10_000, scenario, wait }));
			const floor = summary.get(groupKey({ approach: 'floor', courses: 10_000, scenario, wait }));
			if (!node || !floor) continue;
			const value = node.wallMs / floor.wallMs;
			targets.push({
				name: `Node wall time ≤ ${TARGETS.wallRatioAt10k}× floor at 10,000 courses (stand-in ${SCENARIO_LABELS[scenario]}, ${wait ? 'waiting' : 'not waiting'})`,
				measured: `${duration(node.wallMs)} vs ${duration(floor.wallMs)}: ${ratio(value)}`,
				holds: value <= TARGETS.wallRatioAt10k,
			});
		}
	}
	for (const s of mappings.filter((m) => m.shape === 'auto')) {
		const perThousand = s.mappingMs / (s.courses / 1_000);
		targets.push({
			name: `Mapping + validation < ${TARGETS.mappingMsPer1000} ms per 1,000 courses (auto-mapped, ${coursesLabel(s.courses)})`,
			measured: `${perThousand.toFixed(1)} ms`,
			holds: perThousand < TARGETS.mappingMsPer1000,
		});
	}
	for (const s of mappings.filter((m) => m.shape === 'expressions')) {
		const reads = (s.mapping?.parameterCalls?.['columns.value'] ?? 0) / s.courses;
		targets.push({
			name: `Expression mapping evaluated once per item (${coursesLabel(s.courses)})`,
			measured: `${reads.toFixed(2)} reads of the mapping and ${((s.mapping?.expressions ?? 0) / s.courses).toFixed(2)} expressions (one per field) per item; ${(s.mappingMs / (s.courses / 1_000)).toFixed(0)} ms per 1,000 courses`,
			holds: reads === 1,
		});
	}
	const largest = Math.max(...sizes);
	for (const scenario of SCENARIOS) {
		for (const wait of WAITS) {
			const node = summary.get(groupKey({ approach: 'node', courses: largest, scenario, wait }));
			if (!node || largest < 100_000) continue;
			const value = node.rssGrowth / node.inputJsonBytes;
			targets.push({
				name: `Peak RSS growth ≤ ${TARGETS.rssGrowthPerJsonByte}× input JSON at ${coursesLabel(largest)} (stand-in ${SCENARIO_LABELS[scenario]}, ${wait ? 'waiting' : 'not waiting'})`,
				measured: `+${megabytes(node.rssGrowth)} for ${megabytes(node.inputJsonBytes)} of JSON: ${ratio(value)}`,
				holds: value <= TARGETS.rssGrowthPerJsonByte,
			});
		}
	}
	return targets;
}

/**
 * The retirement case's table: per scenario, the floor and the node side by side, the whole run
 * and the retirement alone (first listing to last deactivation, timed at the stand-in), and the
 * requests of each kind.
 * @param {any[]} results
 */
function buildRetireReport(results) {
	const runs = results.filter((result) => result.approach === 'retireNode' || result.approach === 'retireFloor');
	if (runs.length === 0) return { markdown: '', summary: [] };
	const groups = new Map();
	for (const run of runs) {
		const key = `${run.approach}/${run.scenario}`;
		groups.set(key, [...(groups.get(key) ?? []), run]);
	}
	const summary = [...groups.values()].map((group) => {
		const [first] = group;
		const retireMs = (/** @type {any} */ run) => (run.phase && run.phase.lastDeactivateEnd > 0 ? run.phase.lastDeactivateEnd - run.phase.firstListAt : NaN);
		const listMs = (/** @type {any} */ run) => (run.phase && run.phase.lastListEnd > 0 ? run.phase.lastListEnd - run.phase.firstListAt : NaN);
		const deactivateMs = (/** @type {any} */ run) =>
			run.phase && run.phase.lastDeactivateEnd > 0 ? run.phase.lastDeactivateEnd - run.phase.firstDeactivateAt : NaN;
		return {
			approach: first.approach,
			scenario: first.scenario,
			courses: first.courses,
			missing: first.missing,
			runs: group.length,
			wallMs: median(group.map((run) => run.wallMs)),
			cpuMs: median(group.map((run) => run.cpuMs)),
			retireMs: median(group.map(retireMs)),
			listMs: median(group.map(listMs)),
			deactivateMs: median(group.map(deactivateMs)),
			posts: median(group.map((run) => run.posts)),
			polls: median(group.map((run) => run.polls)),
			listings: median(group.map((run) => run.listings)),
			deactivations: median(group.map((run) => run.deactivations)),
			deactivated: median(group.map((run) => run.outcome.DEACTIVATED ?? NaN)),
			rssGrowth: median(group.map((run) => run.peakRss - run.rssBefore)),
		};
	});
	const find = (/** @type {string} */ approach, /** @type {string} */ scenario) => summary.find((s) => s.approach === approach && s.scenario === scenario);
	const lines = [
		'### Deactivate Courses Not in Input',
		'',
		`Kombo (the stand-in) holds ${count(runs[0].courses)} courses created through the API; the input has all but ${count(runs[0].missing)} of them (every 100th). The node runs Create or Update with Wait for Completion and Deactivate Courses Not in Input (Max Share Deactivated 10%), and Max Parallel Requests 4 so that it keeps to the floor’s four writes in flight per integration; the floor sends the same bulk POSTs and polls, then reads every page of GET /lms/courses (250 a page, one after the other) and sends one deactivation POST per missing course, four at once, with fetch. “Retirement” is timed at the stand-in, from the first listing’s arrival to the last deactivation’s answer. Medians of the runs in the last column.`,
		'',
		'| Stand-in answers | | Wall: whole run | Retirement | of it: listing / deactivating | Bulk POSTs | Polls | GET pages | Deactivations | CPU | Peak RSS growth | Runs |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	];
	for (const scenario of SCENARIOS) {
		const floor = find('retireFloor', scenario);
		const node = find('retireNode', scenario);
		for (const [label, s] of [['floor', floor], ['node', node]]) {
			if (!s) continue;
			lines.push(
				`| ${SCENARIO_LABELS[scenario]} | ${label} | ${duration(s.wallMs)} | ${duration(s.retireMs)} | ${duration(s.listMs)} / ${duration(s.deactivateMs)} | ${count(s.posts)} | ${count(s.polls)} | ${count(s.listings)} | ${count(s.deactivations)} | ${duration(s.cpuMs)} | +${megabytes(s.rssGrowth)} | ${s.runs} |`,
			);
		}
		if (floor && node) {
			lines.push(`| ${SCENARIO_LABELS[scenario]} | node ÷ floor | ${ratio(node.wallMs / floor.wallMs)} | ${ratio(node.retireMs / floor.retireMs)} | | | | | | | | |`);
		}
	}
	return { markdown: lines.join('\n'), summary };
}

// "Side by side": all five integrations write together for at least this share of the write phase
// (each has the same 2,400 writes; one after another would give 0 or less).
const COMPLETIONS_TARGETS = { completionsMax: 10_000, lookupsMax: 1_000, wallRatio: 1.3, sideBySideShare: 0.9 };
const COMPLETIONS_SCENARIO_LABELS = { distant: 'distant (40 ms, 80 ms per new connection)', instant: 'this machine, at once' };
const COMPLETIONS_CASE_LABELS = { one: 'one', five: 'five, side by side' };

/** @param {number} value */
const load = (value) => (Number.isFinite(value) ? value.toFixed(2) : '—');

/**
 * Medians of the completions runs of one client in one case.
 * @param {any[]} group
 */
function completionsSummary(group) {
	const [first] = group;
	const med = (/** @type {(run: any) => number} */ pick) => median(group.map(pick));
	const timeline = (/** @type {string} */ key) => med((run) => run.timeline?.[key] ?? NaN);
	/** @type {Record<string, { firstWriteMs: number, lastWriteMs: number }>} of the run nearest the median wall time */
	const nearest = [...group].sort((a, b) => Math.abs(a.wallMs - med((run) => run.wallMs)) - Math.abs(b.wallMs - med((run) => run.wallMs)))[0];
	return {
		approach: first.approach,
		connectionPerRequest: first.connectionPerRequest,
		scenario: first.scenario,
		case: first.case,
		items: first.courses,
		integrations: first.integrations?.length ?? 1,
		runs: group.length,
		wallMs: med((run) => run.wallMs),
		wallMsRange: [Math.min(...group.map((run) => run.wallMs)), Math.max(...group.map((run) => run.wallMs))],
		cpuMs: med((run) => run.cpuMs),
		stubCpuMs: med((run) => run.stubCpuMs),
		userListings: med((run) => run.userListings),
		courseListings: med((run) => run.listings),
		progressionListings: med((run) => run.progressionListings),
		enrolments: med((run) => run.enrolments),
		completions: med((run) => run.completions),
		duplicateEnrolments: Math.max(...group.map((run) => run.duplicateEnrolments)),
		recompletions: Math.max(...group.map((run) => run.recompletions)),
		rejected429: med((run) => run.rejected429),
		connections: med((run) => run.connections),
		outputItems: Math.min(...group.map((run) => run.outcome.items ?? NaN)),
		alreadyCompleted: med((run) => run.outcome.ALREADY_COMPLETED),
		peakPerIntegration: med((run) => run.maxInFlight),
		peakAll: timeline('peakWritesInFlight'),
		meanInFlight: timeline('meanWritesInFlight'),
		meanWriteMs: timeline('meanWriteMs'),
		firstLookupMs: timeline('firstLookupMs'),
		lastLookupMs: timeline('lastLookupMs'),
		firstWriteMs: timeline('firstWriteMs'),
		lastWriteMs: timeline('lastWriteMs'),
		loads: group.map((run) => run.loadAtStart),
		peaksByIntegration: nearest.maxInFlightByIntegration ?? {},
		spans: nearest.timeline?.byIntegration ?? {},
	};
}

/**
 * How much of the write phase all integrations wrote together: from the last integration's first
 * write to the first integration's last write, over the whole write phase (1 when they start and
 * end together, 0 or less when one after another).
 * @param {Record<string, { firstWriteMs: number, lastWriteMs: number }>} spans
 */
function overlapOf(spans) {
	const list = Object.values(spans);
	if (list.length < 2) return NaN;
	const together = Math.min(...list.map((span) => span.lastWriteMs)) - Math.max(...list.map((span) => span.firstWriteMs));
	const whole = Math.max(...list.map((span) => span.lastWriteMs)) - Math.min(...list.map((span) => span.firstWriteMs));
	return whole > 0 ? together / whole : NaN;
}

/**
 * The completions case's tables: per stand-in and number of integrations, the node beside the bare
 * client (keep-alive; over the distant network also with a new connection per request), the
 * requests of each kind, and the targets.
 * @param {any[]} results
 * @param {{ expected: { completions: number, enrollments: number, alreadyCompleted: number }, label: (run: any) => string }} context
 */
function buildCompletionsReport(results, { expected, label }) {
	const runs = results.filter((result) => result.section === 'completions');
	if (runs.length === 0) return { markdown: '', targets: [], summary: [] };
	/** @type {Map<string, any[]>} */
	const groups = new Map();
	for (const run of runs) {
		const key = [run.scenario, run.case, run.approach, run.connectionPerRequest ? 'connection' : 'keepalive'].join('/');
		groups.set(key, [...(groups.get(key) ?? []), run]);
	}
	const summary = [...groups.values()].map(completionsSummary);
	const find = (/** @type {string} */ scenario, /** @type {string} */ name, /** @type {string} */ approach, connectionPerRequest = false) =>
		summary.find((s) => s.scenario === scenario && s.case === name && s.approach === approach && Boolean(s.connectionPerRequest) === connectionPerRequest);
	const cases = [];
	for (const scenario of ['distant', 'instant']) {
		for (const name of ['one', 'five']) {
			const node = find(scenario, name, 'completionsNode');
			const bare = find(scenario, name, 'completionsBare');
			if (node && bare) cases.push({ scenario, name, node, bare, bareConnection: find(scenario, name, 'completionsBare', true) });
		}
	}
	const lookups = (/** @type {any} */ s) => `${count(s.userListings)} / ${count(s.courseListings)} / ${count(s.progressionListings)} = ${count(s.userListings + s.courseListings + s.progressionListings)}`;
	const loads = (/** @type {any} */ s) => s.loads.map(load).join(', ');

	const lines = [
		'### Course Progression → Complete: 10,000 completions over 2,000 learners and 500 courses',
		'',
		`Wall times are medians over the runs in the last column (each client runs once per repeat, node first). Lookups are GET /lms/users, /lms/courses and /lms/course-progressions requests; the bare client sends the same ones (same groups, same pages) unless the cell says otherwise. Enrollments and completions are POSTs answered by the stand-in; the ${count(expected.alreadyCompleted)} pairs completed already must cost none. Load is the 1-minute load average of this 2-CPU machine when each run started (node runs, then bare).`,
		'',
		'| Stand-in | Integrations | Items | Lookups: users / courses / progressions | Enrollments | Completions | POSTs | Wall: node | Wall: bare, keep-alive | Node ÷ bare | Wall: bare, a connection per request | Node ÷ that | Load at start: node; bare | Runs |',
		'|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|',
	];
	for (const { scenario, name, node, bare, bareConnection } of cases) {
		const sameLookups = lookups(node) === lookups(bare) ? '' : ` (bare: ${lookups(bare)})`;
		const sameWrites = node.enrolments === bare.enrolments && node.completions === bare.completions ? '' : ` (bare: ${count(bare.enrolments)} + ${count(bare.completions)})`;
		lines.push(
			`| ${COMPLETIONS_SCENARIO_LABELS[scenario]} | ${COMPLETIONS_CASE_LABELS[name]} | ${count(node.items)} | ${lookups(node)}${sameLookups} | ${count(node.enrolments)} | ${count(node.completions)}${sameWrites} | ${count(node.enrolments + node.completions)} | ${duration(node.wallMs)} | ${duration(bare.wallMs)} | ${ratio(node.wallMs / bare.wallMs)} | ${bareConnection ? duration(bareConnection.wallMs) : '—'} | ${bareConnection ? ratio(node.wallMs / bareConnection.wallMs) : '—'} | ${loads(node)}; ${loads(bare)}${bareConnection ? `, ${loads(bareConnection)}` : ''} | ${node.runs} |`,
		);
	}

	lines.push(
		'',
		'Where the time goes. At the stand-in: “lookups” from the first lookup’s arrival to the last one’s answer, “writes” from the first write’s arrival to the last one’s answer, both from the start of the run; writes in flight are counted from a request’s arrival to its answer, the peak of one integration (the node’s lane) and of all at once, and the mean over the write phase; the time one write takes there is beside it. CPU is the client process’s and the stand-in’s during the run.',
		'',
		'| Stand-in | Integrations | Client | Wall | Lookups (first → last) | Writes (first → last) | Writes in flight: peak per integration / all / mean | Time per write at the stand-in | Connections opened | 429s | CPU: client / stand-in | Runs |',
		'|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
	);
	for (const { scenario, name, node, bare, bareConnection } of cases) {
		for (const s of [node, bare, bareConnection]) {
			if (!s) continue;
			const range = s.runs > 1 ? ` (${duration(s.wallMsRange[0])}–${duration(s.wallMsRange[1])})` : '';
			lines.push(
				`| ${COMPLETIONS_SCENARIO_LABELS[scenario]} | ${COMPLETIONS_CASE_LABELS[name]} | ${label(s)} | ${duration(s.wallMs)}${range} | ${duration(s.firstLookupMs)} → ${duration(s.lastLookupMs)} | ${duration(s.firstWriteMs)} → ${duration(s.lastWriteMs)} | ${count(s.peakPerIntegration)} / ${count(s.peakAll)} / ${Number.isFinite(s.meanInFlight) ? s.meanInFlight.toFixed(1) : '—'} | ${duration(s.meanWriteMs)} | ${count(s.connections)} | ${count(s.rejected429)} | ${duration(s.cpuMs)} / ${duration(s.stubCpuMs)} | ${s.runs} |`,
			);
		}
	}

	const five = cases.filter((each) => each.name === 'five');
	if (five.length > 0) {
		const ids = Object.keys(five[0].node.peaksByIntegration).sort();
		lines.push(
			'',
			'Five integrations side by side (the run nearest the median): each integration’s peak writes in flight, and how much of the write phase all five wrote together (from the last one’s first write to the first one’s last write, over the whole write phase).',
			'',
			`| Stand-in | Client | ${ids.map((id) => id.replace(/^sandbox:/, '')).join(' | ')} | Sum of peaks | All five writing together |`,
			`|---|---|${ids.map(() => '---:').join('|')}|---:|---:|`,
		);
		for (const { scenario, node, bare, bareConnection } of five) {
			for (const s of [node, bare, bareConnection]) {
				if (!s) continue;
				const peaks = ids.map((id) => s.peaksByIntegration[id] ?? 0);
				lines.push(
					`| ${COMPLETIONS_SCENARIO_LABELS[scenario]} | ${label(s)} | ${peaks.map(count).join(' | ')} | ${count(peaks.reduce((sum, peak) => sum + peak, 0))} | ${Number.isFinite(overlapOf(s.spans)) ? `${Math.round(overlapOf(s.spans) * 100)} %` : '—'} |`,
				);
			}
		}
	}

	const targets = [];
	const nodes = cases.map((each) => ({ ...each, where: `${each.scenario === 'distant' ? 'distant' : 'this machine'}, ${each.name === 'one' ? 'one integration' : 'five integrations'}` }));
	const list = (/** @type {(each: any) => string} */ describe) => nodes.map((each) => `${each.where}: ${describe(each)}`).join('; ');
	if (nodes.length > 0) {
		targets.push({
			name: `Completions sent ≤ ${count(COMPLETIONS_TARGETS.completionsMax)} (one per completion still needed: ${count(expected.completions)})`,
			measured: list((each) => `${count(each.node.completions)}, besides ${count(each.node.enrolments)} enrollments`),
			holds: nodes.every((each) => each.node.completions <= COMPLETIONS_TARGETS.completionsMax && each.node.completions === expected.completions + each.node.rejected429),
		});
		targets.push({
			name: `Pairs completed already cost no write (${count(expected.alreadyCompleted)} ALREADY_COMPLETED, no recompletion)`,
			measured: list((each) => `${count(each.node.alreadyCompleted)} ALREADY_COMPLETED, ${count(each.node.recompletions)} recompletions`),
			holds: nodes.every((each) => each.node.alreadyCompleted === expected.alreadyCompleted && each.node.recompletions === 0),
		});
		targets.push({
			name: `Lookups ≤ ${count(COMPLETIONS_TARGETS.lookupsMax)}`,
			measured: list((each) => count(each.node.userListings + each.node.courseListings + each.node.progressionListings)),
			holds: nodes.every((each) => each.node.userListings + each.node.courseListings + each.node.progressionListings <= COMPLETIONS_TARGETS.lookupsMax),
		});
		targets.push({
			name: 'No duplicate enrollment, no recompletion',
			measured: list((each) => `${count(each.node.duplicateEnrolments)} / ${count(each.node.recompletions)}`),
			holds: nodes.every((each) => each.node.duplicateEnrolments === 0 && each.node.recompletions === 0),
		});
		targets.push({
			name: `Nothing lost: ${count(runs[0].courses)} output items`,
			measured: list((each) => count(each.node.outputItems)),
			holds: nodes.every((each) => each.node.outputItems === each.node.items),
		});
		for (const each of nodes) {
			const value = each.node.wallMs / each.bare.wallMs;
			const connection = each.bareConnection ? `; ÷ the bare client with a new connection per request (${duration(each.bareConnection.wallMs)}): ${ratio(each.node.wallMs / each.bareConnection.wallMs)}` : '';
			targets.push({
				name: `Node ≤ ${COMPLETIONS_TARGETS.wallRatio}× the bare client (${each.where})`,
				measured: `${duration(each.node.wallMs)} vs ${duration(each.bare.wallMs)}: ${ratio(value)}${connection}`,
				holds: value <= COMPLETIONS_TARGETS.wallRatio,
			});
		}
		for (const each of nodes.filter((node) => node.name === 'five')) {
			const overlap = overlapOf(each.node.spans);
			const writing = Object.values(each.node.peaksByIntegration).filter((peak) => peak > 0).length;
			targets.push({
				name: `Five integrations served side by side: all five writing together ≥ ${Math.round(COMPLETIONS_TARGETS.sideBySideShare * 100)} % of the write phase (${each.where.split(',')[0]})`,
				measured: `${writing} integrations wrote, all five together for ${Number.isFinite(overlap) ? Math.round(overlap * 100) : '—'} % of the write phase; at most ${count(each.node.peakAll)} writes in flight over all, ${count(each.node.peakPerIntegration)} in one integration`,
				holds: writing === 5 && overlap >= COMPLETIONS_TARGETS.sideBySideShare,
			});
		}
	}
	lines.push('', '#### Targets', '', '| Target | Measured | Holds |', '|---|---|---|');
	for (const target of targets) lines.push(`| ${target.name} | ${target.measured} | ${target.holds === undefined ? '—' : target.holds ? 'yes' : '**no**'} |`);
	return { markdown: lines.join('\n'), targets, summary };
}

module.exports = { buildReport, buildRetireReport, buildCompletionsReport, summarise, median, duration, megabytes };
