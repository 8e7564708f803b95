'use strict';

// `npm run bench`: Create or Update through n8n's engine against the Kombo stand-in on 127.0.0.1,
// side by side with the floor (plain fetch, same batches, parallelism and poll schedule) and the
// per-item approach (one request per course), at 1,000 / 10,000 / 100,000 courses. Prints the
// table and writes it into BENCHMARKS.md.
//
//   node scripts/bench.js [--quick] [--sizes=1000,10000] [--no-write] [--json=FILE] [--cpu-prof[=DIR]]
//                         [--package=DIR] [--only retire]
//
// Every measurement also goes to .cache/bench-results.json (and to FILE with --json).
// --quick runs each measurement once; --cpu-prof writes a CPU profile of every measured node run
// (the run only, without module loading and warm-up) into DIR (default .cache/bench-profiles);
// --package measures another built copy of this package (e.g. a worktree of an older commit, for
// before/after figures) instead of this checkout's dist/. --only retire runs just the retirement case
// (Deactivate Courses Not in Input: 1,000 missing courses of 100,000) and rewrites just its section.

const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { startKomboStub } = require('../test/support/kombo-stub');
const { measure, WARMUP_COURSES } = require('./bench/measure');
const { buildPlan, buildRetirePlan, SIZES } = require('./bench/plan');
const { buildReport, buildRetireReport, duration } = require('./bench/report');
const { RETIRE_MISSING } = require('./bench/retire');

const REPO_ROOT = path.resolve(__dirname, '..');
const BENCHMARKS_FILE = path.join(REPO_ROOT, 'BENCHMARKS.md');
// The runs load a copy of the built package, so that a rebuild of dist/ during the bench (the
// checkout is shared) cannot mix two versions of the node into one table. Inside the repository,
// so that the copy resolves n8n-workflow from its node_modules as dist/ does.
const PACKAGE_SNAPSHOT = path.join(REPO_ROOT, '.cache', 'bench-package');
/** Every measurement of the last run, for comparisons (.cache is not committed). */
const LAST_RESULTS_FILE = path.join(REPO_ROOT, '.cache', 'bench-results.json');
const START_MARKER = '<!-- bench:start (written by npm run bench) -->';
const END_MARKER = '<!-- bench:end -->';
const RETIRE_START_MARKER = '<!-- bench:retire:start (written by npm run bench, or npm run bench -- --only retire) -->';
const RETIRE_END_MARKER = '<!-- bench:retire:end -->';
const ONLY = ['retire'];

function parseArgs(argv) {
	const options = { quick: false, sizes: SIZES, write: true, json: undefined, profileDir: undefined, packageRoot: REPO_ROOT, only: undefined };
	for (let index = 0; index < argv.length; index++) {
		const arg = argv[index];
		const [name, inline] = arg.split('=');
		const value = name === '--only' && inline === undefined ? argv[++index] : inline;
		if (name === '--only') {
			if (!ONLY.includes(value)) throw new Error(`--only takes one of ${ONLY.join(', ')}, got ${value}`);
			options.only = value;
		} else if (name === '--quick') options.quick = true;
		else if (name === '--no-write') options.write = false;
		else if (name === '--sizes') options.sizes = value.split(',').map((size) => Number(size.replace(/_/g, '')));
		else if (name === '--json') options.json = path.resolve(value);
		else if (name === '--cpu-prof') options.profileDir = path.resolve(value ?? path.join(REPO_ROOT, '.cache', 'bench-profiles'));
		else if (name === '--package') options.packageRoot = path.resolve(value);
		else throw new Error(`Unknown option ${arg}`);
	}
	return options;
}

function machine() {
	const cpus = os.cpus();
	return {
		cpus: cpus.length,
		model: cpus[0]?.model?.trim() ?? 'unknown CPU',
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
	};
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

/** What must be true of every run, or its figures mean nothing. @param {any} result */
function problemsOf(result) {
	const problems = [];
	const { outcome } = result;
	if (outcome.error) problems.push(`the run failed: ${outcome.error}`);
	if (result.approach === 'retireNode' || result.approach === 'retireFloor') {
		const kept = result.courses - result.missing;
		if (outcome.SUCCEEDED !== kept) problems.push(`${outcome.SUCCEEDED} of ${kept} courses SUCCEEDED`);
		if (outcome.DEACTIVATED !== result.missing || result.deactivations !== result.missing) {
			problems.push(`${outcome.DEACTIVATED} deactivated in ${result.deactivations} requests, not ${result.missing}`);
		}
		if (result.listings !== Math.ceil(result.courses / 250)) problems.push(`${result.listings} GET pages`);
		if (result.posts !== Math.ceil(kept / 100)) problems.push(`${result.posts} POSTs`);
		if (result.violations > 0) problems.push(`${result.violations} contract violations at the stand-in`);
		return problems;
	}
	const expected = result.approach === 'mapping' || !result.wait ? 'PENDING' : 'SUCCEEDED';
	if (outcome[expected] !== result.courses) problems.push(`${outcome[expected]} of ${result.courses} courses ${expected}`);
	if (result.violations > 0) problems.push(`${result.violations} contract violations at the stand-in`);
	const batchSize = result.approach === 'perItem' ? 1 : 100;
	if (result.posts !== Math.ceil(result.courses / batchSize)) problems.push(`${result.posts} POSTs`);
	return problems;
}

/** @param {any} spec @param {any} result */
function progressLine(spec, result) {
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
		`rss ${Math.round(result.rssBefore / 1e6)}→${Math.round(result.peakRss / 1e6)} MB`,
		result.mapping ? `mapping ${duration(result.mapping.ms)}` : '',
	].join('  ');
}

/** @param {string} block @param {string} [startMarker] @param {string} [endMarker] */
function writeBenchmarks(block, startMarker = START_MARKER, endMarker = END_MARKER) {
	const generated = `${startMarker}\n${block}\n${endMarker}`;
	let text = fs.existsSync(BENCHMARKS_FILE)
		? fs.readFileSync(BENCHMARKS_FILE, 'utf8')
		: `# Benchmarks\n\n${startMarker}\n${endMarker}\n`;
	const start = text.indexOf(startMarker);
	const end = text.indexOf(endMarker);
	text =
		start === -1 || end === -1
			? `${text.trimEnd()}\n\n${generated}\n`
			: `${text.slice(0, start)}${generated}${text.slice(end + endMarker.length)}`;
	fs.writeFileSync(BENCHMARKS_FILE, text);
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const startedAt = Date.now();
	const plan = [
		...(options.only === 'retire' ? [] : buildPlan({ sizes: options.sizes, quick: options.quick })),
		...buildRetirePlan({ quick: options.quick }),
	];
	const packageDir = snapshotPackage(options.packageRoot);
	const measured = revision(options.packageRoot);
	const loadBefore = os.loadavg()[0];
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-kombo-bench-'));
	process.env.N8N_USER_FOLDER = userFolder;
	const stub = await startKomboStub({ maxRequestsKept: 20 });
	const results = [];
	const failures = [];
	try {
		console.log(`Running ${plan.length} measurements, each in a child process of its own…`);
		for (const [index, spec] of plan.entries()) {
			const profileDir = options.profileDir && spec.approach !== 'floor' ? options.profileDir : undefined;
			const result = await measure(stub, { ...spec, profileDir, packageDir });
			results.push(result);
			const problems = problemsOf(result);
			if (problems.length > 0) failures.push(`${spec.approach} ${spec.courses} ${spec.scenario} ${spec.wait ? 'wait' : 'no wait'}: ${problems.join('; ')}`);
			console.log(`[${String(index + 1).padStart(3)}/${plan.length}] ${progressLine(spec, result)}${problems.length ? `  !! ${problems.join('; ')}` : ''}`);
			if (result.profile) console.log(`        profile: ${path.relative(REPO_ROOT, result.profile)}`);
		}
	} finally {
		await stub.close();
		fs.rmSync(userFolder, { recursive: true, force: true });
	}

	const elapsedMs = Date.now() - startedAt;
	const loadAfter = os.loadavg()[0];
	const host = machine();
	const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
	const retire = buildRetireReport(results);
	const retireBlock = [
		`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${host.cpus} CPUs (${host.model}), Node ${host.node}; command \`${command}\`, ${measured}; load average ${loadBefore.toFixed(2)} before and ${os.loadavg()[0].toFixed(2)} after. Each run in a child process of its own, as above.`,
		'',
		retire.markdown,
	].join('\n');
	if (options.only === 'retire') {
		const elapsed = Date.now() - startedAt;
		console.log(`\n${retireBlock}\n`);
		if (failures.length > 0) console.log(`Runs with problems:\n${failures.map((failure) => `- ${failure}`).join('\n')}\n`);
		const raw = JSON.stringify({ host, command, measured, elapsedMs: elapsed, results, retire: retire.summary }, null, 2);
		fs.writeFileSync(LAST_RESULTS_FILE, raw);
		if (options.json) fs.writeFileSync(options.json, raw);
		if (options.write) {
			writeBenchmarks(retireBlock, RETIRE_START_MARKER, RETIRE_END_MARKER);
			console.log(`Wrote the ${RETIRE_MISSING.toLocaleString('en-US')}-missing-courses section of ${path.relative(process.cwd(), BENCHMARKS_FILE) || BENCHMARKS_FILE}.`);
		}
		console.log(`npm run bench took ${duration(elapsed)}.`);
		if (failures.length > 0) process.exitCode = 1;
		return;
	}
	const { markdown, targets } = buildReport(results, { sizes: options.sizes });
	const block = [
		`Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${host.cpus} CPUs (\`nproc\`: ${host.cpus}, ${host.model}), ${host.memoryGiB} GiB memory, Node ${host.node}, ${host.os}.`,
		`Command: \`${command}\` (${plan.length} runs, ${duration(elapsedMs)} in all), ${measured}; load average ${loadBefore.toFixed(2)} before and ${loadAfter.toFixed(2)} after.`,
		'',
		`Every run is a child process of its own (\`node --expose-gc\`) against the Kombo stand-in (\`test/support/kombo-stub.js\`) in the parent process, so CPU time and RSS are the run’s alone. Each child first does an untimed warm-up of ${WARMUP_COURSES.toLocaleString('en-US')} courses (a running n8n is warm), collects garbage, waits until it is idle, then measures one run: wall time, CPU time (user + system), peak RSS (the kernel’s high-water mark) against the RSS just before the run. The stand-in answers either at once (tasks done at the first poll) or after 50 ms a request with tasks done 2 s after they were created; waiting is real time. The node runs through n8n-core’s \`WorkflowExecute\` with the package loaded from \`dist\` (\`test/support/engine.js\`), Batch Size 100. The floor (\`scripts/bench/floor.js\`) sends the same batches with \`fetch\`, four at once, then polls the tasks on the node’s schedule (first poll 1 s after submission, ×1.5, at most 15 s, four at once), with no n8n and no validation. Per-item is the same node with Batch Size 1: one POST per course through n8n’s HTTP helper, four in flight, as a workflow of HTTP Request nodes would send them.`,
		'',
		markdown,
	].join('\n');

	console.log(`\n${block}\n`);
	if (failures.length > 0) console.log(`Runs with problems:\n${failures.map((failure) => `- ${failure}`).join('\n')}\n`);
	const raw = JSON.stringify({ host, command, measured, elapsedMs, results, targets }, null, 2);
	fs.writeFileSync(LAST_RESULTS_FILE, raw);
	if (options.json) fs.writeFileSync(options.json, raw);
	if (options.write) {
		writeBenchmarks(block);
		writeBenchmarks(retireBlock, RETIRE_START_MARKER, RETIRE_END_MARKER);
		console.log(`Wrote ${path.relative(process.cwd(), BENCHMARKS_FILE) || BENCHMARKS_FILE}.`);
	}
	console.log(`npm run bench took ${duration(elapsedMs)}.`);
	if (failures.length > 0) process.exitCode = 1;
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
