'use strict';

// The tables of the network sections (distant, multi, limits) of BENCHMARKS.md.

const { SCENARIOS: STUB_SCENARIOS } = require('./measure');
const { median, duration } = require('./report');
const { MULTI_INTEGRATIONS, KOMBO_WRITE_LIMIT } = require('./plan');

const BATCH_SIZE = 100;
const TARGETS = {
	distant: { 10_000: 1.2, 100_000: 1.3 },
	multi: 1.3,
	rejectedShare: 0.02,
};
const CLIENT_LABELS = {
	protocolFloor: 'protocol floor',
	bareAtNode: 'bare client at the node’s parallelism',
	node: 'node',
};
const CLIENT_ORDER = ['protocolFloor', 'bareAtNode', 'node'];
/** The node's check schedule (ms after submission, then after the previous check's end). */
const CHECK_SCHEDULE = { firstMs: 1_000, factor: 1.5, maxMs: 15_000 };

/** @param {number} value */
const count = (value) => (Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '—');
/** @param {number} value @param {number} [digits] */
const ratio = (value, digits = 2) => (Number.isFinite(value) ? `${value.toFixed(digits)}×` : '—');
/** @param {number} value */
const percent = (value) => (Number.isFinite(value) ? `${(value * 100).toFixed(2)} %` : '—');
/** @param {number} ms */
const seconds = (ms) => (Number.isFinite(ms) ? `${(ms / 1_000).toFixed(2)} s` : '—');
/** @param {string} id */
const shortIntegration = (id) => id.replace(/^sandbox:/, '');

/** How many checks the node's schedule needs to see a task that takes `taskMs`, at the least. @param {number} taskMs */
function scheduledChecks(taskMs) {
	let elapsed = 0;
	let checks = 0;
	do {
		elapsed += Math.min(CHECK_SCHEDULE.firstMs * CHECK_SCHEDULE.factor ** checks, CHECK_SCHEDULE.maxMs);
		checks++;
	} while (elapsed < taskMs);
	return checks;
}

/** The node's own caps: Kombo's limit less 10 % per integration, 32 requests per execution, 8 checks. */
const NODE_CAPS = { perIntegration: 27, perExecution: 32, checks: 8 };

/**
 * What the stand-in's settings allow, computed with no CPU time anywhere: each figure is the least
 * wall time of a client that obeys the constraints named, for `batchesPerIntegration` batches in
 * each of `integrations` integrations.
 * @param {number} batchesPerIntegration @param {number} integrations
 */
function bounds(batchesPerIntegration, integrations) {
	const { latencyMs: rtt, connectMs: connect, completeAfterMs: taskMs } = STUB_SCENARIOS.distant;
	const fresh = rtt + connect; // a request on a connection of its own
	const batches = batchesPerIntegration * integrations;
	const rounds = (/** @type {number} */ perIntegration, /** @type {number} */ perExecution = Infinity) =>
		Math.max(Math.ceil(batchesPerIntegration / perIntegration), Math.ceil(batches / perExecution));
	// Keep-alive: the first round opens the connections, later ones reuse them; one check when done.
	const floor = fresh + (rounds(KOMBO_WRITE_LIMIT) - 1) * rtt + taskMs + rtt;
	// One connection per request: every round and the check pay the handshake.
	const oneConnection = rounds(KOMBO_WRITE_LIMIT) * fresh + taskMs + fresh;
	const nodeCapsPosts = rounds(NODE_CAPS.perIntegration, NODE_CAPS.perExecution) * fresh;
	const nodeCaps = nodeCapsPosts + taskMs + fresh;
	// The node's schedule: check k is sent at 1 s, then 1.5 s, 2.25 s… after the previous answer.
	let sentAt = CHECK_SCHEDULE.firstMs;
	for (let k = 1; sentAt + fresh < taskMs; k++) sentAt += fresh + Math.min(CHECK_SCHEDULE.firstMs * CHECK_SCHEDULE.factor ** k, CHECK_SCHEDULE.maxMs);
	const seenAfter = sentAt + fresh;
	const schedule = nodeCapsPosts + seenAfter;
	// Checks only once every batch is sent, 8 in flight, each a connection of its own, one per task at least.
	const checkThroughput = nodeCapsPosts + (batches * fresh) / NODE_CAPS.checks;
	return { floor, oneConnection, nodeCaps, schedule, seenAfter, checkThroughput, node: Math.max(schedule, checkThroughput) };
}

/** @param {string} kase @param {number} courses */
function boundsRow(kase, courses) {
	const integrations = kase === 'multi' ? MULTI_INTEGRATIONS.length : 1;
	const b = bounds(Math.ceil(courses / integrations / BATCH_SIZE), integrations);
	const of = (/** @type {number} */ ms) => `${seconds(ms)} (${ratio(ms / b.floor)})`;
	return `| ${count(courses)} | ${kase === 'multi' ? 'ten integrations' : 'one integration'} | ${seconds(b.floor)} | ${of(b.oneConnection)} | ${of(b.nodeCaps)} | ${of(b.schedule)} | ${of(b.checkThroughput)} | ${of(b.node)} |`;
}

const BOUNDS_HEAD = [
	'',
	'What the settings allow, computed with no CPU time anywhere (wall time, and ÷ the network-only floor). Network-only floor: keep-alive, 30 writes per integration, each task checked when done. One connection per request: the same, but every request (and the check) pays the 80 ms handshake, as n8n’s helper makes it. Node’s caps: and at most 27 writes per integration and 32 requests per execution. Node’s check schedule: and the last task seen only at the schedule’s first check at or after 3 s. Node’s checks after every POST: and all checks only after the last POST, 8 in flight, one per task at least. The node’s bound is the larger of the last two.',
	'',
	'| Courses | Case | Network-only floor | One connection per request | + node’s caps (27, 32) | + node’s check schedule | + checks after every POST, 8 in flight | Node’s bound |',
	'|---:|---|---:|---:|---:|---:|---:|---:|',
];

/** @param {any} run */
const groupKey = (run) => [run.section, run.case, run.courses, run.approach].join('/');

/** @param {any[]} results */
function summarise(results) {
	/** @type {Map<string, any[]>} */
	const groups = new Map();
	for (const result of results) {
		if (!result.section || result.section === 'classic') continue;
		const key = groupKey(result);
		groups.set(key, [...(groups.get(key) ?? []), result]);
	}
	/** @type {Map<string, any>} */
	const summary = new Map();
	for (const [key, runs] of groups) {
		const pick = (/** @type {(run: any) => number} */ read) => median(runs.map(read));
		const wallMs = pick((run) => run.wallMs);
		// The run nearest the median wall time stands for the group where a figure is not a number.
		const typical = [...runs].sort((a, b) => Math.abs(a.wallMs - wallMs) - Math.abs(b.wallMs - wallMs))[0];
		const writes = runs.reduce((sum, run) => sum + run.posts, 0);
		const rejected = runs.reduce((sum, run) => sum + run.rejected429, 0);
		summary.set(key, {
			...typical,
			runs: runs.length,
			wallMs,
			cpuMs: pick((run) => run.cpuMs),
			stubCpuMs: pick((run) => run.stubCpuMs ?? NaN),
			connections: pick((run) => run.connections),
			posts: pick((run) => run.posts),
			tasks: pick((run) => run.tasks),
			polls: pick((run) => run.polls),
			maxInFlight: pick((run) => run.maxInFlight),
			rejected429: pick((run) => run.rejected429),
			rejectedShare: writes > 0 ? rejected / writes : NaN,
			rejectedTotal: rejected,
			writesTotal: writes,
			firstWriteMs: pick((run) => run.timeline?.firstWriteMs ?? NaN),
			lastWriteMs: pick((run) => run.timeline?.lastWriteMs ?? NaN),
			lastCheckMs: pick((run) => run.timeline?.lastCheckMs ?? NaN),
			meanWriteMs: pick((run) => run.timeline?.meanWriteMs ?? NaN),
			meanWritesInFlight: pick((run) => run.timeline?.meanWritesInFlight ?? NaN),
			meanCheckMs: pick((run) => run.timeline?.meanCheckMs ?? NaN),
			meanChecksInFlight: pick((run) => run.timeline?.meanChecksInFlight ?? NaN),
			checkLagMedianMs: pick((run) => run.timeline?.checkLagMedianMs ?? NaN),
			checkLagMaxMs: pick((run) => run.timeline?.checkLagMaxMs ?? NaN),
			writesInFlightRange: [Math.min(...runs.map((run) => run.writesInFlight ?? NaN)), Math.max(...runs.map((run) => run.writesInFlight ?? NaN))],
			typical,
		});
	}
	return summary;
}

/** @param {any} s */
function clientLabel(s) {
	if (s.approach !== 'bareAtNode') return CLIENT_LABELS[s.approach];
	const [low, high] = s.writesInFlightRange;
	return `${CLIENT_LABELS.bareAtNode} (${low === high ? low : `${low}–${high}`} writes)`;
}

const TIMELINE_NOTE =
	'Writes and checks in flight are counted at the stand-in, from a request’s arrival to its answer: the peak is the highest number of one integration’s writes at once, the mean the time all writes spent there over the span from the first write’s arrival to the last one’s answer (likewise for checks), so with several integrations it counts them all; the time one request takes there is beside it. “First write” is when the first POST reached the stand-in, “last write” when the last accepted POST was answered, “last check” when the last status check was answered, all from the start of the run; “check lag” is how long after a task was done (3 s after its creation) the check that saw it done was answered, median and worst over the run’s tasks. CPU is the client process’s (the node’s: n8n’s and the node’s) and the stand-in’s during the run. Figures are medians over the runs.';

/** @param {Map<string, any>} summary @param {string} section @param {string} kase @param {number} courses */
function clientsOf(summary, section, kase, courses) {
	return CLIENT_ORDER.map((approach) => summary.get(groupKey({ section, case: kase, courses, approach }))).filter(Boolean);
}

/** @param {any} s @param {any} floor @param {any} bare */
function runRow(s, floor, bare) {
	const checksPerTask = s.tasks > 0 ? (s.polls / s.tasks).toFixed(2) : '—';
	return `| ${count(s.courses)} | ${clientLabel(s)} | ${duration(s.wallMs)} | ${s.approach === 'protocolFloor' ? '1.00×' : ratio(s.wallMs / floor?.wallMs)} | ${s.approach === 'node' && bare ? ratio(s.wallMs / bare.wallMs) : '—'} | ${count(s.connections)} | ${count(s.posts)} | ${count(s.polls)} (${checksPerTask}) | ${count(s.maxInFlight)} / ${s.meanWritesInFlight.toFixed(1)} | ${Math.round(s.meanWriteMs)} ms / ${Math.round(s.meanCheckMs)} ms | ${s.meanChecksInFlight.toFixed(1)} | ${count(s.rejected429)} | ${seconds(s.firstWriteMs)} | ${seconds(s.lastWriteMs)} | ${seconds(s.lastCheckMs)} | ${seconds(s.checkLagMedianMs)} / ${seconds(s.checkLagMaxMs)} | ${seconds(s.cpuMs)} / ${seconds(s.stubCpuMs)} | ${s.runs} |`;
}

const RUN_TABLE_HEAD = [
	'| Courses | Client | Wall | ÷ protocol floor | Node ÷ bare at node’s parallelism | Connections opened | POSTs | Checks (per task) | Writes in flight: peak per integration / mean, all integrations | Time at the stand-in: write / check | Checks in flight, mean | 429s | First write | Last write | Last check | Check lag: median / worst | CPU: client / stand-in | Runs |',
	'|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];

/**
 * @param {any[]} results
 * @param {string} section  'distant' | 'multi' | 'limits'
 * @param {{ distantSizes: number[] }} options
 */
function buildNetworkReport(results, section, { distantSizes }) {
	const summary = summarise(results);
	const lines = [];
	const targets = [];
	const nodeRuns = [...summary.values()].filter((s) => s.section === section && s.approach === 'node');

	if (section === 'distant') {
		lines.push('### Distant: one integration, Create or Update with Wait for Completion', '', TIMELINE_NOTE, '', ...RUN_TABLE_HEAD);
		for (const courses of distantSizes) {
			const clients = clientsOf(summary, 'distant', 'distant', courses);
			const floor = clients.find((s) => s.approach === 'protocolFloor');
			const bare = clients.find((s) => s.approach === 'bareAtNode');
			for (const s of clients) lines.push(runRow(s, floor, bare));
			const node = clients.find((s) => s.approach === 'node');
			const target = TARGETS.distant[courses];
			if (node && floor && target) {
				const value = node.wallMs / floor.wallMs;
				targets.push({
					name: `Node ≤ ${target}× the protocol floor at ${count(courses)} courses (distant)`,
					measured: `${duration(node.wallMs)} vs ${duration(floor.wallMs)}: ${ratio(value)} (÷ the network-only floor of ${seconds(bounds(Math.ceil(courses / BATCH_SIZE), 1).floor)}: ${ratio(node.wallMs / bounds(Math.ceil(courses / BATCH_SIZE), 1).floor)})${bare ? `; the bare client at the node’s ${clientLabel(bare).match(/\((.*)\)/)?.[1]} takes ${duration(bare.wallMs)} (${ratio(bare.wallMs / floor.wallMs)} the floor), the node ${ratio(node.wallMs / bare.wallMs)} that` : ''}`,
					holds: value <= target,
				});
			}
		}
	}

	if (section === 'distant') lines.push(...BOUNDS_HEAD, ...distantSizes.map((courses) => boundsRow('distant', courses)));

	if (section === 'multi') {
		lines.push(`### Ten integrations: ${count(results.find((r) => r.section === 'multi')?.courses ?? 20_000)} courses, row i to integration i mod 10`, '', `The node’s Integration ID option is the expression \`{{ $json.integration }}\`; the protocol floor sends ${30} writes in flight per integration, all integrations at once. ${TIMELINE_NOTE}`, '', ...RUN_TABLE_HEAD);
		const clients = clientsOf(summary, 'multi', 'multi', results.find((r) => r.section === 'multi')?.courses ?? 20_000);
		const floor = clients.find((s) => s.approach === 'protocolFloor');
		for (const s of clients) lines.push(runRow(s, floor, undefined));
		lines.push('', 'Peak writes in flight per integration (the run nearest the median wall time):', '', `| Client | ${MULTI_INTEGRATIONS.map(shortIntegration).join(' | ')} | Sum of peaks |`, `|---|${MULTI_INTEGRATIONS.map(() => '---:').join('|')}|---:|`);
		for (const s of clients) {
			const peaks = MULTI_INTEGRATIONS.map((id) => s.typical.maxInFlightByIntegration?.[id] ?? 0);
			lines.push(`| ${clientLabel(s)} | ${peaks.join(' | ')} | ${peaks.reduce((a, b) => a + b, 0)} |`);
		}
		lines.push(...BOUNDS_HEAD, boundsRow('multi', clients[0]?.courses ?? 20_000));
		const node = clients.find((s) => s.approach === 'node');
		if (node && floor) {
			const value = node.wallMs / floor.wallMs;
			targets.push({
				name: `Node ≤ ${TARGETS.multi}× its protocol floor with ten integrations`,
				measured: `${duration(node.wallMs)} vs ${duration(floor.wallMs)}: ${ratio(value)} (÷ the network-only floor of ${seconds(bounds(Math.ceil(node.courses / MULTI_INTEGRATIONS.length / BATCH_SIZE), MULTI_INTEGRATIONS.length).floor)}: ${ratio(node.wallMs / bounds(Math.ceil(node.courses / MULTI_INTEGRATIONS.length / BATCH_SIZE), MULTI_INTEGRATIONS.length).floor)}); first write at ${seconds(node.firstWriteMs)} (the floor’s ${seconds(floor.firstWriteMs)}): n8n evaluates the Integration ID expression for each item first`,
				holds: value <= TARGETS.multi,
			});
		}
	}

	if (section === 'limits') {
		lines.push(
			'### Concurrency limits: 429s',
			'',
			'The stand-in answers 429 `PLATFORM.CONCURRENCY_LIMIT_EXCEEDED` to a write that arrives while the integration already has its limit in flight, with `Concurrency-Limit` on every write’s answer. A 429 is a write, and the node retries it, so POSTs = accepted batches + 429s. Share = 429s ÷ all POSTs of all runs.',
			'',
			'| Integration’s limit | Courses | Client | Wall | ÷ protocol floor | Connections opened | POSTs (accepted batches) | 429s | Share of writes answered 429 | Peak writes in flight | Checks (per task) | Runs |',
			'|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
		);
		for (const kase of ['limit30', 'limit5']) {
			const courses = results.find((r) => r.case === kase)?.courses;
			if (!courses) continue;
			const clients = clientsOf(summary, 'limits', kase, courses);
			const floor = clients.find((s) => s.approach === 'protocolFloor');
			for (const s of clients) {
				lines.push(
					`| ${s.limit} | ${count(s.courses)} | ${clientLabel(s)} | ${duration(s.wallMs)} | ${s.approach === 'protocolFloor' ? '1.00×' : ratio(s.wallMs / floor?.wallMs)} | ${count(s.connections)} | ${count(s.posts)} (${count(s.tasks)}) | ${count(s.rejected429)} | ${percent(s.rejectedShare)} (${count(s.rejectedTotal)} of ${count(s.writesTotal)}) | ${count(s.maxInFlight)} | ${count(s.polls)} (${s.tasks > 0 ? (s.polls / s.tasks).toFixed(2) : '—'}) | ${s.runs} |`,
				);
			}
			const node = clients.find((s) => s.approach === 'node');
			if (node) {
				targets.push({
					name: `≤ ${TARGETS.rejectedShare * 100} % of the node’s writes answered 429 at a limit of ${node.limit}`,
					measured: `${percent(node.rejectedShare)}: ${count(node.rejectedTotal)} of ${count(node.writesTotal)} POSTs over ${node.runs} run${node.runs === 1 ? '' : 's'}; peak ${count(node.maxInFlight)} in flight`,
					holds: node.rejectedShare <= TARGETS.rejectedShare,
				});
			}
		}
	}

	if (nodeRuns.length > 0) {
		const exact = nodeRuns.every((s) => s.tasks === Math.ceil(s.courses / BATCH_SIZE) && s.posts === s.tasks + s.rejected429);
		targets.push({
			name: 'Node: accepted batches = ceil(N / batch size), and POSTs = those + 429s',
			measured: nodeRuns.map((s) => `${count(s.courses)} (${s.case}) → ${count(s.tasks)} batches, ${count(s.posts)} POSTs`).join('; '),
			holds: exact,
		});
		const expected = scheduledChecks(results.find((r) => r.section === section)?.taskMs ?? 3_000);
		targets.push({
			name: `Node: checks per task follow the task’s duration (3 s: at most ${expected} on the schedule), not its size`,
			measured: nodeRuns.map((s) => `${count(s.courses)} (${s.case}): ${(s.polls / s.tasks).toFixed(2)}`).join('; '),
			holds: nodeRuns.every((s) => s.polls / s.tasks <= expected),
		});
	}

	lines.push('', '#### Targets', '', '| Target | Measured | Holds |', '|---|---|---|');
	for (const target of targets) lines.push(`| ${target.name} | ${target.measured} | ${target.holds === undefined ? '—' : target.holds ? 'yes' : '**no**'} |`);
	return { markdown: lines.join('\n'), targets, summary };
}

module.exports = { buildNetworkReport, summarise, scheduledChecks, bounds };
