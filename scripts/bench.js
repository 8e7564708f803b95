'use strict';

// `npm run bench`: Create or Update through n8n's engine against the Kombo stand-in on 127.0.0.1.
// Sections (see scripts/bench/plan.js):
// - classic: beside the floor (plain fetch, same batches, writes in flight and check schedule)
//   and the per-item approach (one request per course), at 1,000 / 10,000 / 100,000 courses;
// - distant: Kombo over a real network (40 ms round trip, 80 ms per new connection, tasks of 3 s)
//   at 10,000 and 100,000 courses, beside the protocol floor and a bare client at the node's
//   parallelism (scripts/bench/bare.js);
// - multi: 20,000 courses over ten integrations, distant, beside the protocol floor;
// - limits: the share of writes answered 429 at Kombo's limit of 30 and a fragile integration's 5;
// - retire: Deactivate Courses Not in Input, 1,000 missing courses of 100,000 held in Kombo, beside
//   a floor doing the same requests with fetch (scripts/bench/retire.js);
// - completions: Course Progression → Complete, 10,000 completions over 2,000 learners and 500
//   courses, one integration and five, distant and on this machine, beside a bare client doing the
//   same lookups and writes (scripts/bench/completions.js).
// Prints the tables and writes each section's into BENCHMARKS.md, between its own markers.
//
//   node scripts/bench.js [--only=classic,distant,multi,limits,retire,completions] [--quick] [--sizes=1000,10000]
//                         [--distant-sizes=10000,100000] [--no-write] [--json=FILE]
//                         [--cpu-prof[=DIR]] [--package=DIR] [--from-json=FILE]
//
// Every measurement also goes to .cache/bench-results.json (and to FILE with --json).
// --only runs some sections (default: all; `--only retire`, with a space, works too); --quick
// runs each measurement once; --sizes picks the classic sizes, --distant-sizes the distant ones
// (retire always has 100,000 courses); --cpu-prof writes a CPU profile of every measured node
// run (the run only, without module loading and warm-up) into DIR (default
// .cache/bench-profiles); --package measures another built copy of this package (e.g. a worktree
// of an older commit, for before/after figures) instead of this checkout's dist/; --from-json
// rebuilds the tables of an earlier run from its results file without running anything.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startKomboStub } = require('../test/support/kombo-stub');
const { measure, SCENARIOS: STUB_SCENARIOS, WARMUP_COURSES } = require('./bench/measure');
const { machine } = require('./bench/machine');
const { buildNetworkReport } = require('./bench/network-report');
const { buildPlan, BENCH_INTEGRATIONS, COMPLETIONS_BARE_WRITES, COMPLETIONS_REPEATS, DISTANT_SIZES, KOMBO_WRITE_LIMIT, SECTIONS, SIZES } = require('./bench/plan');
const { buildCompletionsReport, buildReport, buildRetireReport, duration } = require('./bench/report');
const { clientLabel, expectedWrites, COMPLETION_COURSES, COMPLETION_ITEMS, COMPLETION_LEARNERS, COMPLETION_WARMUP_ITEMS } = require('./bench/completions');
const { PAGE_SIZE: RETIRE_PAGE_SIZE } = require('./bench/retire');

const REPO_ROOT = path.resolve(__dirname, '..');
const BENCHMARKS_FILE = path.join(REPO_ROOT, 'BENCHMARKS.md');
// The runs load a copy of the built package, so that a rebuild of dist/ during the bench (the
// checkout is shared) cannot mix two versions of the node into one table. Inside the repository,
// so that the copy resolves n8n-workflow from its node_modules as dist/ does.
const PACKAGE_SNAPSHOT = path.join(REPO_ROOT, '.cache', 'bench-package');
/** Every measurement of the last run, for comparisons (.cache is not committed). */
const LAST_RESULTS_FILE = path.join(REPO_ROOT, '.cache', 'bench-results.json');
/**
 * Each section's block in BENCHMARKS.md lies between two markers of its own. A block is found by
 * the start marker's fixed part (`find`), so that one written under an older wording of the
 * parenthesis (the retire block's was "npm run bench, or npm run bench -- --only retire") is
 * replaced rather than written twice.
 * @param {string} section
 */
const markers = (section) =>
	section === 'classic'
		? { start: '<!-- bench:start (written by npm run bench) -->', find: '<!-- bench:start', end: '<!-- bench:end -->' }
		: {
				start: `<!-- bench:${section}:start (written by npm run bench -- --only=${section}) -->`,
				find: `<!-- bench:${section}:start`,
				end: `<!-- bench:${section}:end -->`,
			};

/** @param {string} value */
const sizeList = (value) => value.split(',').map((size) => Number(size.replace(/_/g, '')));

function parseArgs(argv) {
	const options = {
		quick: false,
		sizes: SIZES,
		distantSizes: DISTANT_SIZES,
		only: SECTIONS,
		write: true,
		json: undefined,
		profileDir: undefined,
		packageRoot: REPO_ROOT,
		fromJson: /** @type {string | undefined} */ (undefined),
	};
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		const [name, inline] = arg.split('=');
		// `--only retire` (a space, as the retire case was first run) as well as `--only=retire`.
		const value = name === '--only' && inline === undefined && index + 1 < argv.length ? argv[++index] : inline;
		if (name === '--quick') options.quick = true;
		else if (name === '--no-write') options.write = false;
		else if (name === '--sizes') options.sizes = sizeList(value);
		else if (name === '--distant-sizes') options.distantSizes = sizeList(value);
		else if (name === '--only') {
			if (value === undefined) throw new Error(`--only takes a list of sections: ${SECTIONS.join(', ')}`);
			options.only = value.split(',').map((section) => section.trim());
			const unknown = options.only.filter((section) => !SECTIONS.includes(section));
			if (unknown.length > 0) throw new Error(`Unknown section ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
		}
		else if (name === '--json') options.json = path.resolve(value);
		else if (name === '--cpu-prof') options.profileDir = path.resolve(value ?? path.join(REPO_ROOT, '.cache', 'bench-profiles'));
		else if (name === '--package') options.packageRoot = path.resolve(value);
		else if (name === '--from-json') options.fromJson = path.resolve(value);
		else throw new Error(`Unknown option ${arg}`);
	}
	return options;
}

/** @param {string} packageRoot */
function snapshotPackage(packageRoot) {
	if (!fs.existsSync(path.join(packageRoot, 'dist/nodes/Kombo/Kombo.node.js'))) {
		throw new Error(`${path.join(packageRoot, 'dist')} holds no built node: run \`npm run build\` first (npm run bench does).`);
	}
	fs.rmSync(PACKAGE_SNAPSHOT, { recursive: true, force: true });
	fs.mkdirSync(PACKAGE_SNAPSHOT, { recursive: true });
	fs.cpSync(path.join(packageRoot, 'dist'), path.join(PACKAGE_SNAPSHOT, 'dist'), { recursive: true });
	fs.copyFileSync(path.join(packageRoot, 'package.json'), path.join(PACKAGE_SNAPSHOT, 'package.json'));
	return PACKAGE_SNAPSHOT;
}

/** The commit measured, and whether the node's sources differ from it. @param {string} packageRoot */
function revision(packageRoot) {
	try {
		const git = (/** @type {string[]} */ ...args) => execFileSync('git', args, { cwd: packageRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
		const changed = git('status', '--porcelain', '--', 'nodes', 'credentials') !== '';
		return `commit ${git('rev-parse', '--short', 'HEAD')}${changed ? ' with uncommitted changes to the node' : ''}`;
	} catch {
		return 'no git revision';
	}
}

/** Batches the node sends: each integration's courses cut into batches. @param {any} result */
function expectedBatches(result) {
	const batchSize = result.approach === 'perItem' ? 1 : (result.batchSize ?? 100);
	const integrations = result.integrations?.length ?? 1;
	let batches = 0;
	for (let index = 0; index < integrations; index++) {
		const courses = Math.floor(result.courses / integrations) + (index < result.courses % integrations ? 1 : 0);
		batches += Math.ceil(courses / batchSize);
	}
	return batches;
}

/**
 * The completions case: every item has its outcome, the writes are exactly those the seeds call
 * for (a 429 is a write that is sent again), and the stand-in ends with one COMPLETED progression
 * per pair, none written twice.
 * @param {any} result
 */
function completionProblems(result) {
	const problems = [];
	const { outcome, standIn } = result;
	const expected = expectedWrites(result.courses);
	if (outcome.error) problems.push(`the run failed: ${outcome.error}`);
	if (outcome.items !== result.courses) problems.push(`${outcome.items} output items for ${result.courses} input items`);
	if (outcome.COMPLETED !== expected.completions || outcome.ALREADY_COMPLETED !== expected.alreadyCompleted || outcome.FAILED > 0) {
		problems.push(`${outcome.COMPLETED} COMPLETED, ${outcome.ALREADY_COMPLETED} ALREADY_COMPLETED, ${outcome.FAILED} failed`);
	}
	if (outcome.enrolled !== expected.enrollments) problems.push(`${outcome.enrolled} items enrolled, not ${expected.enrollments}`);
	if (result.enrolments + result.completions !== expected.enrollments + expected.completions + result.rejected429) {
		problems.push(`${result.enrolments} enrollments and ${result.completions} completions sent, ${result.rejected429} answered 429`);
	}
	if (result.duplicateEnrolments > 0 || result.recompletions > 0) problems.push(`${result.duplicateEnrolments} duplicate enrollments, ${result.recompletions} recompletions`);
	if (standIn.completedPairs !== result.courses || standIn.pairsWithSeveral > 0 || standIn.acceptedCompletions !== expected.completions) {
		problems.push(`at the stand-in: ${standIn.completedPairs} pairs completed, ${standIn.pairsWithSeveral} with several progressions, ${standIn.acceptedCompletions} completions accepted`);
	}
	const violations = result.violations - (result.rejected429 ?? 0);
	if (violations > 0) problems.push(`${violations} contract violations at the stand-in`);
	return problems;
}

/** What must be true of every run, or its figures mean nothing. @param {any} result */
function problemsOf(result) {
	if (result.section === 'completions') return completionProblems(result);
	const problems = [];
	const { outcome } = result;
	if (outcome.error) problems.push(`the run failed: ${outcome.error}`);
	if (result.approach === 'retireNode' || result.approach === 'retireFloor') {
		const kept = result.courses - result.missing;
		if (outcome.SUCCEEDED !== kept) problems.push(`${outcome.SUCCEEDED} of ${kept} courses SUCCEEDED`);
		if (outcome.DEACTIVATED !== result.missing || result.deactivations !== result.missing) {
			problems.push(`${outcome.DEACTIVATED} deactivated in ${result.deactivations} requests, not ${result.missing}`);
		}
		if (result.listings !== Math.ceil(result.courses / RETIRE_PAGE_SIZE)) problems.push(`${result.listings} GET pages`);
		if (result.posts !== Math.ceil(kept / (result.batchSize ?? 100))) problems.push(`${result.posts} POSTs`);
		if (result.violations > 0) problems.push(`${result.violations} contract violations at the stand-in`);
		return problems;
	}
	const expected = result.approach === 'mapping' || !result.wait ? 'PENDING' : 'SUCCEEDED';
	if (outcome[expected] !== result.courses) problems.push(`${outcome[expected]} of ${result.courses} courses ${expected}`);
	// A write beyond the concurrency limit is a violation the stand-in answers with 429; those are
	// counted apart (the limits section measures them).
	const violations = result.violations - (result.rejected429 ?? 0);
	if (violations > 0) problems.push(`${violations} contract violations at the stand-in`);
	if (result.section === 'classic' || !result.section) {
		if (result.posts !== expectedBatches(result)) problems.push(`${result.posts} POSTs`);
	} else {
		if (result.tasks !== expectedBatches(result)) problems.push(`${result.tasks} accepted batches`);
		if (result.posts !== result.tasks + result.rejected429) problems.push(`${result.posts} POSTs for ${result.tasks} batches and ${result.rejected429} 429s`);
	}
	return problems;
}

/** @param {any} spec @param {any} result */
function progressLine(spec, result) {
	if (spec.section === 'completions') {
		return [
			clientLabel(spec).padEnd(34),
			`${spec.case} ${spec.scenario}`.padEnd(13),
			`wall ${duration(result.wallMs)}`,
			`lookups ${result.userListings}/${result.listings}/${result.progressionListings}`,
			`enrol ${result.enrolments} complete ${result.completions}`,
			`peak ${result.maxInFlight} (all ${result.timeline.peakWritesInFlight})`,
			`429 ${result.rejected429}`,
			`conns ${result.connections}`,
			`first write ${duration(result.timeline.firstWriteMs)} last ${duration(result.timeline.lastWriteMs)}`,
			`cpu ${duration(result.cpuMs)} stand-in ${duration(result.stubCpuMs)}`,
			`load ${result.loadAtStart.toFixed(2)}`,
		].join('  ');
	}
	if (spec.section && spec.section !== 'classic' && spec.section !== 'retire') {
		return [
			spec.approach.padEnd(13),
			`${spec.courses}`.padStart(6),
			spec.case.padEnd(7),
			`wall ${duration(result.wallMs)}`,
			`writes ${spec.writesInFlight ?? 'node'}`,
			`conns ${result.connections}`,
			`posts ${result.posts} checks ${result.polls}`,
			`peak ${result.maxInFlight}`,
			`429 ${result.rejected429}`,
			`first write ${duration(result.timeline.firstWriteMs)} last write ${duration(result.timeline.lastWriteMs)} last check ${duration(result.timeline.lastCheckMs)}`,
			`lag ${duration(result.timeline.checkLagMedianMs)}/${duration(result.timeline.checkLagMaxMs)}`,
			`cpu ${duration(result.cpuMs)} stand-in cpu ${duration(result.stubCpuMs)}`,
		].join('  ');
	}
	return [
		spec.approach.padEnd(7),
		`${spec.courses}`.padStart(6),
		spec.scenario.padEnd(7),
		spec.wait ? 'wait  ' : 'nowait',
		spec.shape ?? 'auto',
		`wall ${duration(result.wallMs)}`,
		result.phase ? `retirement ${duration(result.phase.lastDeactivateEnd - result.phase.firstListAt)} (${result.listings} pages, ${result.deactivations} deactivations)` : '',
		`cpu ${duration(result.cpuMs)}`,
		`posts ${result.posts} polls ${result.polls}`,
		`peak ${result.maxInFlight}`,
		`rss ${Math.round(result.rssBefore / 1e6)}→${Math.round(result.peakRss / 1e6)} MB`,
		result.mapping ? `mapping ${duration(result.mapping.ms)}` : '',
	].join('  ');
}

/** The node run a run at the node's parallelism follows: same section, case, size, scenario and wait. @param {any} spec */
const peerKey = (spec) => [spec.section, spec.case ?? '', spec.courses, spec.scenario, spec.wait].join('/');

/** @param {string} section @param {string} block */
function writeBenchmarks(section, block) {
	const { start: startMarker, find, end: endMarker } = markers(section);
	const generated = `${startMarker}\n${block}\n${endMarker}`;
	let text = fs.existsSync(BENCHMARKS_FILE)
		? fs.readFileSync(BENCHMARKS_FILE, 'utf8')
		: `# Benchmarks\n\n${startMarker}\n${endMarker}\n`;
	const start = text.indexOf(find);
	const end = start === -1 ? -1 : text.indexOf(endMarker, start);
	text =
		start === -1 || end === -1
			? `${text.trimEnd()}\n\n${generated}\n`
			: `${text.slice(0, start)}${generated}${text.slice(end + endMarker.length)}`;
	fs.writeFileSync(BENCHMARKS_FILE, text);
}

const CLASSIC_METHOD = `Every run is a child process of its own (\`node --expose-gc\`) against the Kombo stand-in (\`test/support/kombo-stub.js\`) in the parent process, so CPU time and RSS are the run’s alone. Each child first does an untimed warm-up of ${WARMUP_COURSES.toLocaleString('en-US')} courses (a running n8n is warm), collects garbage, waits until it is idle, then measures one run: wall time, CPU time (user + system), peak RSS (the kernel’s high-water mark) against the RSS just before the run. The stand-in answers either at once (tasks done at the first poll) or after 50 ms a request with tasks done 2 s after they were created; waiting is real time. The node runs through n8n-core’s \`WorkflowExecute\` with the package loaded from \`dist\` (\`test/support/engine.js\`), Batch Size 100. The floor (\`scripts/bench/floor.js\`) runs after the node and sends the same batches with \`fetch\` at the peak writes in flight the node reached (read from the stand-in), then polls the tasks on the node’s schedule (first poll 1 s after submission, ×1.5, at most 15 s, as many polls in flight as the node), with no n8n and no validation. Per-item is the same node with Batch Size 1: one POST per course through n8n’s HTTP helper, as a workflow of HTTP Request nodes would send them.`;

const RETIRE_METHOD = `Every run is a child process of its own (\`node --expose-gc\`) against the Kombo stand-in in the parent process, with the warm-up and the measures of the classic section (wall time, CPU time, peak RSS growth), and its two stand-ins: answers at once, or after 50 ms a request with tasks done 2 s after they were created.`;

const distant = STUB_SCENARIOS.distant;
const NETWORK_METHOD = `Every run is a child process of its own against the Kombo stand-in (\`test/support/kombo-stub.js\`) in the parent process, after an untimed warm-up of ${WARMUP_COURSES.toLocaleString('en-US')} courses. The stand-in plays Kombo at a distance: every answer comes ${distant.latencyMs} ms after its request (the round trip), the first request on each new connection ${distant.connectMs} ms later still (TCP and TLS handshakes), and a task is done ${distant.completeAfterMs / 1000} s after it was created; writes beyond an integration’s concurrency limit (30) are answered 429. Before each measured run it closes the idle keep-alive connections of the warm-up, so every client starts cold. The node runs through n8n-core’s \`WorkflowExecute\` (\`test/support/engine.js\`), Create or Update with Wait for Completion, Batch Size 100; n8n’s HTTP helper builds a new agent for every request, so each request of the node opens a connection of its own and pays the ${distant.connectMs} ms. The clients beside it (\`scripts/bench/bare.js\`) are Node’s \`fetch\`, which keeps connections alive, with no n8n and no validation. The **protocol floor** sends the same batches at Kombo’s limit of ${KOMBO_WRITE_LIMIT} writes in flight per integration, every integration at once, and checks each task once, ${distant.completeAfterMs / 1000} s after its POST was answered (when it is done), while the other batches are still being sent. The **bare client at the node’s parallelism** runs after the node, at the peak writes in flight the node reached (read from the stand-in), with the node’s check policy: every batch first, then each task 1 s after its submission, then ×1.5 up to 15 s after the end of the previous check, at most 8 checks in flight. So node ÷ bare is what n8n, a connection per request and the limiter’s ramp cost at the node’s own parallelism and checks, and bare ÷ floor what that parallelism and check policy cost.`;

const completionMix = expectedWrites();
const COMPLETIONS_METHOD = `Every run is a child process of its own (\`node --expose-gc\`) against the Kombo stand-in in the parent process, after an untimed warm-up on the case’s first ${COMPLETION_WARMUP_ITEMS.toLocaleString('en-US')} items (the stand-in is reset and seeded again before the measured run, and its idle keep-alive connections closed). Each integration’s LMS holds its learners (${COMPLETION_LEARNERS.toLocaleString('en-US')} in all, found by work email), the ${COMPLETION_COURSES} courses (named by origin ID; 3 more courses of the LMS’s own) and the progressions of the case: of the ${COMPLETION_ITEMS.toLocaleString('en-US')} (learner, course) pairs of the input, ${(completionMix.completions - completionMix.enrollments).toLocaleString('en-US')} are enrolled (half ENROLLED, half IN_PROGRESS), ${completionMix.alreadyCompleted.toLocaleString('en-US')} COMPLETED, ${completionMix.enrollments.toLocaleString('en-US')} not enrolled. So the run needs ${completionMix.enrollments.toLocaleString('en-US')} enrollments (Enroll If Needed) and ${completionMix.completions.toLocaleString('en-US')} completions, ${(completionMix.enrollments + completionMix.completions).toLocaleString('en-US')} POSTs, and outputs ${completionMix.completions.toLocaleString('en-US')} COMPLETED and ${completionMix.alreadyCompleted.toLocaleString('en-US')} ALREADY_COMPLETED. The issue’s “at most 10,000 writes (one per completion still needed)” counts the completions; an enrollment is a write of its own in Kombo’s API, counted beside them. Input items are \`{ email, course, completed_at, score }\` (and \`integration\`, row i to integration i mod 5, with five). The node runs Course Progression → Complete through n8n-core’s \`WorkflowExecute\`, Learner Email \`{{ $json.email }}\`, Course Origin ID \`{{ $json.course }}\`, Completed At and Score from the item, Enroll If Needed on (its default), Integration ID \`{{ $json.integration }}\` with five. The **bare client** (\`scripts/bench/completions.js\`, \`node:http\`, no n8n) sends the same lookups in the same groups (100 values a request, 250 records a page, 4 groups at once per listing, learners and the course list side by side, then the learners’ progressions), then the same writes at a fixed ${COMPLETIONS_BARE_WRITES} in flight per integration from its first write on, every integration at once: ${COMPLETIONS_BARE_WRITES} is the most the node’s lane ever allows (Kombo’s ${KOMBO_WRITE_LIMIT} less its 10 % margin), the stronger floor than the node’s own peak. It keeps connections alive; over the distant network it runs a second time opening a new connection per request, as n8n’s HTTP helper does, to show what that costs. The distant stand-in answers every request ${distant.latencyMs} ms after it arrives and the first request on each new connection ${distant.connectMs} ms later still, as the network sections do; “this machine” answers at once. Runs per case: ${COMPLETIONS_REPEATS.distant} distant, ${COMPLETIONS_REPEATS.instant} on this machine.`;

/**
 * Runs the plan and returns what the tables are made from.
 * @param {ReturnType<typeof parseArgs>} options
 */
async function runPlan(options) {
	const startedAt = Date.now();
	const plan = buildPlan({ sizes: options.sizes, distantSizes: options.distantSizes, quick: options.quick, only: options.only });
	const packageDir = snapshotPackage(options.packageRoot);
	const measured = revision(options.packageRoot);
	const loadBefore = os.loadavg()[0];
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-kombo-bench-'));
	process.env.N8N_USER_FOLDER = userFolder;
	const stub = await startKomboStub({ maxRequestsKept: 20, integrations: BENCH_INTEGRATIONS });
	const results = [];
	/** @type {Map<string, number>} the peak writes in flight of the last node run of each kind */
	const nodePeaks = new Map();
	/** @type {Record<string, { startedAt: number, endedAt: number, runs: number }>} */
	const sectionTimes = {};
	try {
		console.log(`Running ${plan.length} measurements, each in a child process of its own…`);
		for (const [index, planned] of plan.entries()) {
			const spec = { ...planned };
			if (spec.writesInFlight === 'nodePeak') {
				spec.writesInFlight = nodePeaks.get(peerKey(spec));
				if (!spec.writesInFlight) throw new Error(`No node run before ${spec.approach} ${spec.courses} ${spec.case ?? spec.scenario}`);
			}
			const profileDir = options.profileDir && ['node', 'retireNode', 'completionsNode'].includes(spec.approach) ? options.profileDir : undefined;
			const sectionTime = (sectionTimes[spec.section] ??= { startedAt: Date.now(), endedAt: 0, runs: 0 });
			const result = await measure(stub, { ...spec, profileDir, packageDir });
			sectionTime.endedAt = Date.now();
			sectionTime.runs++;
			if (spec.approach === 'node') nodePeaks.set(peerKey(spec), result.maxInFlight);
			results.push(result);
			const problems = problemsOf(result);
			console.log(`[${String(index + 1).padStart(3)}/${plan.length}] ${progressLine(spec, result)}${problems.length ? `  !! ${problems.join('; ')}` : ''}`);
			if (result.profile) console.log(`        profile: ${path.relative(REPO_ROOT, result.profile)}`);
		}
	} finally {
		await stub.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
	return {
		host: machine(),
		command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
		measured,
		measuredAt: new Date().toISOString(),
		elapsedMs: Date.now() - startedAt,
		runs: plan.length,
		loadBefore,
		loadAfter: os.loadavg()[0],
		sectionTimes,
		only: options.only,
		sizes: options.sizes,
		distantSizes: options.distantSizes,
		results,
	};
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	// --from-json=FILE: the tables of an earlier run (its .cache/bench-results.json or --json), without running anything.
	const data = options.fromJson ? JSON.parse(fs.readFileSync(options.fromJson, 'utf8')) : await runPlan(options);
	const { host, command, measured, results, sectionTimes } = data;
	const failures = results
		.map((result) => ({ result, problems: problemsOf(result) }))
		.filter(({ problems }) => problems.length > 0)
		.map(({ result, problems }) => `${result.approach} ${result.courses} ${result.case ?? result.scenario} ${result.wait ? 'wait' : 'no wait'}: ${problems.join('; ')}`);
	const header = (/** @type {string} */ section) => {
		const time = sectionTimes[section];
		return [
			`Measured ${data.measuredAt.slice(0, 16).replace('T', ' ')} UTC on ${host.cpus} CPUs (\`nproc\`: ${host.cpus}, ${host.model}), ${host.memoryGiB} GiB memory, Node ${host.node}, ${host.os}.`,
			`Command: \`${command}\` (${time.runs} runs of this section, ${duration(time.endedAt - time.startedAt)}; ${data.runs} runs, ${duration(data.elapsedMs)} in all), ${measured}; load average ${data.loadBefore.toFixed(2)} before and ${data.loadAfter.toFixed(2)} after.`,
		];
	};
	const blocks = [];
	const targets = [];
	/** @type {any[] | undefined} the retire section's medians, kept in the results file */
	let retireSummary;
	for (const section of SECTIONS) {
		if (!data.only.includes(section) || !sectionTimes[section]) continue;
		let report;
		let method = NETWORK_METHOD;
		if (section === 'classic') {
			report = buildReport(results.filter((result) => result.section === 'classic'), { sizes: data.sizes });
			method = CLASSIC_METHOD;
		} else if (section === 'completions') {
			report = buildCompletionsReport(results, { expected: expectedWrites(), label: clientLabel });
			method = COMPLETIONS_METHOD;
		} else if (section === 'retire') {
			const retire = buildRetireReport(results.filter((result) => result.section === 'retire'));
			retireSummary = retire.summary;
			report = { markdown: retire.markdown, targets: [] };
			method = RETIRE_METHOD;
		} else {
			report = buildNetworkReport(results, section, { distantSizes: data.distantSizes });
		}
		targets.push(...report.targets.map((/** @type {any} */ target) => ({ section, ...target })));
		blocks.push({ section, text: [...header(section), '', method, '', report.markdown].join('\n') });
	}

	for (const block of blocks) console.log(`\n${block.text}\n`);
	if (failures.length > 0) console.log(`Runs with problems:\n${failures.map((failure) => `- ${failure}`).join('\n')}\n`);
	if (!options.fromJson) {
		const raw = JSON.stringify({ ...data, targets, ...(retireSummary ? { retire: retireSummary } : {}) }, null, 2);
		fs.mkdirSync(path.dirname(LAST_RESULTS_FILE), { recursive: true });
		fs.writeFileSync(LAST_RESULTS_FILE, raw);
		if (options.json) fs.writeFileSync(options.json, raw);
	}
	if (options.write) {
		for (const block of blocks) writeBenchmarks(block.section, block.text);
		console.log(`Wrote ${path.relative(process.cwd(), BENCHMARKS_FILE) || BENCHMARKS_FILE} (${blocks.map((block) => block.section).join(', ')}).`);
	}
	console.log(`npm run bench took ${duration(data.elapsedMs)}.`);
	if (failures.length > 0) process.exitCode = 1;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
