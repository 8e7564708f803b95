#!/usr/bin/env node
'use strict';

// `npm run bench:dedup`: what Skip Unchanged Courses costs in n8n's own deduplication store, in
// the real n8n app (2.41.1 on Node 24, the e2e cache), headless and offline, at 10,000 and
// 100,000 courses.
//
//   node scripts/bench-dedup.js [--sizes=10000,100000] [--repeat=3] [--keep] [--json=FILE]
//                               [--remove-cost[=stored:removed[:where],...]] [--no-remove-cost]
//
// Per size, one workflow (Manual Trigger → Code node making N course rows → Kombo Create or
// Update, Map Automatically, Batch Size 1000, Wait for Completion) is run with `n8n execute`:
//
//   off   Skip Unchanged Courses off: every course sent (the baseline)
//   1     on, empty record: every course sent, the record written
//   2     on, nothing changed: no POST, only the store's check and the close
//   2n    the same without the node's error output (Settings → On Error: Stop Workflow): n8n's
//         routing of items to the error output is not free at 100,000 items
//   3     on, 1 % of the rows edited: those sent
//   3r    on, those rows edited back to what run 1 sent (Kombo last confirmed run 3's version)
//   4     on, the same 1 % edited again and Kombo fails them: the record is rewritten
//         (clearAllProcessedItems + checkProcessedAndRecord of the confirmed fingerprints)
//
// The Kombo sandbox (test/support/kombo-stub.js) answers on 127.0.0.1, tasks done at the first
// poll. The e2e network guard is preloaded into every n8n process, and next to it
// scripts/bench-dedup/n8n-timer.js, which times each call n8n's DeduplicationHelper receives
// (wall and CPU, and the part of it spent in its repository) and each node's execute, without
// changing what runs. After each run the store's row is read from n8n's SQLite database. The
// sequence is repeated (--repeat, each time with a workflow of its own, so an empty record) and
// the table shows medians. Then, without n8n, remove-cost.js times the O(removed × stored)
// removal that the node's rewrite avoids.
//
// Every figure also goes to .cache/bench-dedup-results.json (and to FILE with --json).

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureN8nApp, seconds } = require('../test/e2e/lib/n8n-app');
const { run, killAll } = require('../test/e2e/lib/proc');
const packaging = require('../test/e2e/lib/packaging');
const { freePort, installCommunityPackage, n8nEnv, cli, parseExecuteOutput } = require('../test/e2e/lib/n8n');
const { startKomboStub } = require('../test/support/kombo-stub');
const { machine } = require('./bench/machine');

const REPO = path.resolve(__dirname, '..');
const GUARD = path.join(REPO, 'test', 'e2e', 'lib', 'network-guard.js');
const N8N_TIMER = path.join(__dirname, 'bench-dedup', 'n8n-timer.js');
const DB_ROWS = path.join(__dirname, 'bench-dedup', 'db-rows.js');
const REMOVE_COST = path.join(__dirname, 'bench-dedup', 'remove-cost.js');
const SHIFT_COST = path.join(__dirname, 'bench-dedup', 'shift-cost.js');
const RESULTS_FILE = path.join(REPO, '.cache', 'bench-dedup-results.json');
const NODE_TYPE = 'n8n-nodes-kombo.kombo';
const CREDENTIAL_TYPE = 'komboApi';
const CREDENTIAL = { id: 'KomboBenchCred01', name: 'Kombo sandbox' };
const INTEGRATION_ID = 'sandbox:demo';
const KOMBO = 'Create or Update Courses';
const ROWS = 'Course rows';
const EDIT_EVERY = 100; // 1 % of the rows
const SIZES = [10_000, 100_000];
const DEFAULT_REMOVE_COST = ['20000:10000', '101000:1000', '100000:100000:first', '200000:100000'];
const EXECUTE_TIMEOUT_MS = 60 * 60_000;

const RUNS = [
	{ key: 'off', what: 'Skip Unchanged off (baseline): all sent', skip: false, edition: 1 },
	{ key: '1', what: 'empty record: all sent', skip: true, edition: 1 },
	{ key: '2', what: 'nothing changed', skip: true, edition: 1 },
	{ key: '2n', what: 'nothing changed, without the error output', skip: true, edition: 1, errorOutput: false },
	{ key: '3', what: '1 % edited', skip: true, edition: 2 },
	{ key: '3r', what: 'the 1 % edited back to their first version', skip: true, edition: 1 },
	{ key: '4', what: '1 % edited again, Kombo fails them', skip: true, edition: 3, failEdited: true },
];

function parseArgs(argv) {
	const options = { sizes: SIZES, repeat: 3, keep: false, json: undefined, removeCost: DEFAULT_REMOVE_COST };
	for (const arg of argv) {
		const [name, value] = arg.split('=');
		if (name === '--sizes') options.sizes = value.split(',').map((size) => Number(size.replace(/_/g, '')));
		else if (name === '--repeat') options.repeat = Math.max(1, Number(value));
		else if (name === '--keep') options.keep = true;
		else if (name === '--json') options.json = path.resolve(value);
		else if (name === '--remove-cost') options.removeCost = value ? value.split(',') : DEFAULT_REMOVE_COST;
		else if (name === '--no-remove-cost') options.removeCost = [];
		else throw new Error(`Unknown option ${arg}`);
	}
	return options;
}

const originId = (index) => `C-${String(index).padStart(7, '0')}`;
const isEdited = (index) => index % EDIT_EVERY === 0;

/** The Code node's JavaScript: N rows named as the Kombo fields, every 100th row's title in its edition. */
function rowsCode(count, edition) {
	return [
		`const count = ${count};`,
		`const edition = ${edition};`,
		'const rows = new Array(count);',
		'for (let i = 0; i < count; i++) {',
		`\tconst edited = edition > 1 && i % ${EDIT_EVERY} === 0;`,
		'\trows[i] = { json: {',
		"\t\torigin_id: 'C-' + String(i).padStart(7, '0'),",
		"\t\ttitle: 'Course ' + i + (edited ? ' (edition ' + edition + ')' : ''),",
		"\t\tcourse_url: 'https://academy.example/courses/' + i,",
		'\t} };',
		'}',
		'return rows;',
	].join('\n');
}

/** One workflow per size (its own ID, so its own store row); the same node IDs in every run. */
function workflow(id, count, { skip, edition, errorOutput = true }) {
	const nodeId = (n) => `b0000000-0000-4000-8000-${String(count).padStart(9, '0')}00${n}`;
	return {
		id,
		name: `bench:dedup ${count} courses`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: nodeId(1), name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: nodeId(2),
				name: ROWS,
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: rowsCode(count, edition) },
			},
			{
				id: nodeId(3),
				name: KOMBO,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				...(errorOutput ? { onError: 'continueErrorOutput' } : {}),
				credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
				parameters: {
					resource: 'course',
					operation: 'upsert',
					columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
					waitForCompletion: true,
					options: { batchSize: 1000, ...(skip ? { skipUnchanged: true } : {}) },
				},
			},
		],
		connections: {
			Start: { main: [[{ node: ROWS, type: 'main', index: 0 }]] },
			[ROWS]: { main: [[{ node: KOMBO, type: 'main', index: 0 }]] },
		},
	};
}

function readNewLines(file, fromByte) {
	const text = fs.readFileSync(file, 'utf8');
	return { lines: text.slice(fromByte).split('\n').filter(Boolean).map((line) => JSON.parse(line)), size: Buffer.byteLength(text) };
}

/** One run's timer lines: the store's calls in order, the nodes' execute times, the n8n process's totals. */
function timings(lines) {
	const store = lines.filter((line) => ['checkProcessedAndRecord', 'removeProcessed', 'clearAllProcessedItems'].includes(line.method));
	const nodes = lines.filter((line) => line.method === 'runNode');
	const mainPid = nodes[0]?.pid ?? store[0]?.pid;
	const exit = lines.find((line) => line.method === 'exit' && line.pid === mainPid);
	const sum = (list, key) => list.reduce((total, line) => total + (line[key] ?? 0), 0);
	const node = (name) => nodes.find((line) => line.node === name);
	return {
		store: { calls: store, totalMs: sum(store, 'ms'), cpuMs: sum(store, 'cpuMs'), dbMs: sum(store, 'dbMs') },
		komboExecute: node(KOMBO) ? { ms: node(KOMBO).ms, cpuMs: node(KOMBO).cpuMs } : null,
		codeExecute: node(ROWS) ? { ms: node(ROWS).ms, cpuMs: node(ROWS).cpuMs } : null,
		n8nProcess: exit ? { cpuMs: exit.cpuMs, maxRssKiB: exit.maxRssKiB } : null,
	};
}

function describeCall(call) {
	const what = { checkProcessedAndRecord: 'check+record', removeProcessed: 'remove', clearAllProcessedItems: 'clear' }[call.method] ?? call.method;
	const items = call.method === 'clearAllProcessedItems' ? '' : ` ${call.items.toLocaleString('en-US')}`;
	return `${what}${items}: ${ms(call.ms)} (CPU ${ms(call.cpuMs)}, repository ${ms(call.dbMs)})`;
}

function ms(value) {
	if (value === undefined || value === null || Number.isNaN(value)) return '–';
	return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${Math.round(value)} ms`;
}

function bytes(value) {
	if (value === undefined || value === null) return '–';
	if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(2)} MiB`;
	if (value >= 1024) return `${(value / 1024).toFixed(1)} KiB`;
	return `${value} B`;
}

const n = (value) => (value === undefined || value === null ? '–' : value.toLocaleString('en-US'));

function median(values) {
	const sorted = values.filter((value) => typeof value === 'number' && !Number.isNaN(value)).sort((a, b) => a - b);
	if (sorted.length === 0) return undefined;
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The repeats of each (size, run) folded into one row of medians. */
function fold(results) {
	const groups = new Map();
	for (const result of results.filter((r) => !r.failed)) {
		const key = `${result.count}\t${result.key}`;
		if (!groups.has(key)) groups.set(key, []);
		groups.get(key).push(result);
	}
	return [...groups.values()].map((group) => {
		const [first] = group;
		const m = (pick) => median(group.map(pick));
		const calls = first.store.calls.map((call, index) => ({
			method: call.method,
			items: call.items,
			ms: m((r) => r.store.calls[index]?.ms),
			cpuMs: m((r) => r.store.calls[index]?.cpuMs),
			dbMs: m((r) => r.store.calls[index]?.dbMs),
		}));
		return {
			count: first.count,
			key: first.key,
			what: first.what,
			repeats: group.length,
			posts: m((r) => r.posts),
			sent: m((r) => r.sent),
			out: { succeeded: m((r) => r.out.succeeded), unchanged: m((r) => r.out.unchanged), failed: m((r) => r.out.failed) },
			komboMs: m((r) => r.komboMs),
			komboExecuteMs: m((r) => r.komboExecute?.ms),
			komboExecuteCpuMs: m((r) => r.komboExecute?.cpuMs),
			codeMs: m((r) => r.codeMs),
			wallMs: m((r) => r.wallMs),
			n8nCpuMs: m((r) => r.n8nProcess?.cpuMs),
			n8nMaxRssKiB: m((r) => r.n8nProcess?.maxRssKiB),
			storeMs: m((r) => r.store.totalMs),
			storeCpuMs: m((r) => r.store.cpuMs),
			storeDbMs: m((r) => r.store.dbMs),
			storeShare: m((r) => (r.store.calls.length ? r.store.totalMs / r.komboMs : undefined)),
			storeCpuShare: m((r) => (r.store.calls.length && r.komboExecute ? r.store.cpuMs / r.komboExecute.cpuMs : undefined)),
			calls,
			entries: m((r) => r.row?.entries),
			rowBytes: m((r) => r.row?.bytes),
			dbFileBytes: m((r) => r.dbFileBytes),
			stdoutBytes: m((r) => r.stdoutBytes),
		};
	});
}

const percent = (share) => (share === undefined ? '–' : `${(100 * share).toFixed(0)} %`);

function tables(results) {
	const rows = fold(results);
	const lines = [];
	lines.push('| Courses | Run | POSTs | Courses sent | Out: succeeded / unchanged / failed | Kombo node executionTime | Store: 3–4 calls | Store ÷ executionTime | Kombo execute() CPU | Store CPU | Store CPU ÷ execute() CPU | `n8n execute` wall | Stored entries | Row size | Repeats |');
	lines.push('|---:|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
	for (const r of rows) {
		const used = r.calls.length > 0;
		lines.push(
			`| ${n(r.count)} | ${r.key}: ${r.what} | ${n(r.posts)} | ${n(r.sent)} | ${n(r.out.succeeded)} / ${n(r.out.unchanged)} / ${n(r.out.failed)} | ${ms(r.komboMs)} | ${used ? ms(r.storeMs) : '–'} | ${percent(r.storeShare)} | ${ms(r.komboExecuteCpuMs)} | ${used ? ms(r.storeCpuMs) : '–'} | ${percent(r.storeCpuShare)} | ${ms(r.wallMs)} | ${n(r.entries)} | ${bytes(r.rowBytes)} | ${r.repeats} |`,
		);
	}
	lines.push('');
	lines.push('| Courses | Run | Store calls in order (median wall time; CPU; of which in the repository: SQL and JSON) | Kombo execute() wall | Code node executionTime | n8n process CPU | n8n peak RSS | Run JSON printed | Database files |');
	lines.push('|---:|---|---|---:|---:|---:|---:|---:|---:|');
	for (const r of rows) {
		lines.push(
			`| ${n(r.count)} | ${r.key} | ${r.calls.map(describeCall).join('; ') || 'none'} | ${ms(r.komboExecuteMs)} | ${ms(r.codeMs)} | ${ms(r.n8nCpuMs)} | ${bytes(r.n8nMaxRssKiB === undefined ? undefined : r.n8nMaxRssKiB * 1024)} | ${bytes(r.stdoutBytes)} | ${bytes(r.dbFileBytes)} |`,
		);
	}
	return lines.join('\n');
}

function removeCostTable(cases) {
	const lines = ['| Stored entries | Removed | Which | removeProcessed’s loop: wall (CPU) | Rewrite instead, in memory: wall (CPU) |', '|---:|---:|---|---:|---:|'];
	for (const c of cases) {
		lines.push(`| ${n(c.stored)} | ${n(c.removed)} | ${c.where === 'first' ? 'the first recorded' : 'the last recorded'} | ${ms(c.removeMs)} (${ms(c.removeCpuMs)}) | ${ms(c.rewriteMs)} (${ms(c.rewriteCpuMs)}) |`);
	}
	return lines.join('\n');
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const startedAt = Date.now();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kombo-bench-dedup-'));
	const userFolder = path.join(work, 'user');
	const logs = path.join(work, 'logs');
	fs.mkdirSync(userFolder, { recursive: true });
	fs.mkdirSync(logs, { recursive: true });
	const networkLog = path.join(work, 'network-attempts.jsonl');
	const storeLog = path.join(work, 'store-calls.jsonl');
	fs.writeFileSync(networkLog, '');
	fs.writeFileSync(storeLog, '');
	fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
	const log = (text) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
	const report = { startedAt: new Date(startedAt).toISOString(), machine: { ...machine(), load: os.loadavg().map((load) => load.toFixed(2)).join(' ') }, sizes: options.sizes, repeat: options.repeat, runs: [], removeCost: [], shiftCost: [] };
	let stub;
	let ok = false;

	log(`bench:dedup in ${work}; load average ${report.machine.load}`);
	try {
		const app = await ensureN8nApp(log);
		report.n8n = app.n8n;
		report.node = app.node;
		log(`n8n ${app.n8n} on Node ${app.node} (${app.cached ? 'cached' : 'installed'})`);

		const packed = await packaging.pack(REPO, work);
		await installCommunityPackage(userFolder, packed.tarball, JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).name);
		log(`${path.basename(packed.tarball)} installed as a community package`);

		let sentInRun = 0;
		stub = await startKomboStub({
			port: 0,
			completeAfterPolls: 0,
			maxRequestsKept: 4,
			onRequest: (request) => {
				if (request.method === 'POST' && request.route === '/lms/courses/bulk' && Array.isArray(request.body?.items)) sentInRun += request.body.items.length;
			},
		});
		const env = n8nEnv(app, { userFolder, port: await freePort(), brokerPort: await freePort(), networkLog, guard: GUARD });
		env.NODE_OPTIONS = `${env.NODE_OPTIONS} --require ${JSON.stringify(N8N_TIMER)}`;
		env.KOMBO_BENCH_STORE_LOG = storeLog;
		const n8n = cli(app, env, path.join(logs, 'n8n-cli.log'));
		// `n8n execute` prints the run as JSON and exits without waiting for stdout to drain: into a
		// pipe, a run of 10,000 courses came out cut off after about 10 MB. Into a file (written
		// synchronously) it is complete, so the run goes to a file through the shell.
		const execute = async (workflowId, outFile) =>
			await run('sh', ['-c', 'exec "$0" "$1" execute --id="$2" > "$3"', app.nodeBin, app.n8nBin, workflowId, outFile], {
				cwd: userFolder,
				env,
				timeoutMs: EXECUTE_TIMEOUT_MS,
				logFile: path.join(logs, 'n8n-execute-stderr.log'),
			});
		log(`Kombo sandbox at ${stub.url}; n8n task broker on 127.0.0.1:${env.N8N_RUNNERS_BROKER_PORT}`);

		const credentialsFile = path.join(work, 'credentials.json');
		const data = { apiKey: stub.apiKey, integrationId: INTEGRATION_ID, region: 'custom', baseUrl: stub.url };
		fs.writeFileSync(credentialsFile, JSON.stringify([{ ...CREDENTIAL, type: CREDENTIAL_TYPE, data }]));
		const imported = await n8n(['import:credentials', `--input=${credentialsFile}`]);
		assert.match(imported.stdout, /Successfully imported 1 credential/, imported.stdout.slice(-1000));

		const databaseFile = path.join(userFolder, '.n8n', 'database.sqlite');
		const readStore = async (workflowId) => {
			const { stdout } = await run(app.nodeBin, [DB_ROWS, app.appDir, databaseFile], { timeoutMs: 120_000 });
			const parsed = JSON.parse(stdout.trim().split('\n').pop());
			return { row: parsed.rows.find((row) => row.workflowId === workflowId), files: parsed.files };
		};

		for (let repeat = 1; repeat <= options.repeat; repeat++) for (const count of options.sizes) {
			const workflowId = `BenchDedup${count}r${repeat}`;
			const editedIds = Array.from({ length: count }, (_, index) => index).filter(isEdited).map(originId);
			for (const spec of RUNS) {
				const file = path.join(work, `workflow-${count}-${repeat}-${spec.key}.json`);
				fs.writeFileSync(file, JSON.stringify(workflow(workflowId, count, spec)));
				const importedWorkflow = await n8n(['import:workflow', `--input=${file}`]);
				assert.match(importedWorkflow.stdout, /Successfully imported 1 workflow/, importedWorkflow.stdout.slice(-1000));

				stub.reset(spec.failEdited ? { failOriginIds: editedIds } : {});
				sentInRun = 0;
				const storeFrom = fs.statSync(storeLog).size;
				log(`${count.toLocaleString('en-US')} courses, repeat ${repeat}/${options.repeat}, run ${spec.key} (${spec.what}): n8n execute…`);
				const outFile = path.join(work, 'execute-stdout.txt');
				let wallMs;
				let printed;
				try {
					({ ms: wallMs } = await execute(workflowId, outFile));
					printed = fs.readFileSync(outFile, 'utf8');
				} catch (error) {
					const tailOfRun = fs.existsSync(outFile) ? fs.readFileSync(outFile, 'utf8').slice(-4000) : '';
					const result = { count, repeat, key: spec.key, what: spec.what, failed: `${String(error.message).slice(0, 4000)}\n${tailOfRun}` };
					report.runs.push(result);
					log(`  n8n execute failed: ${String(error.message).split('\n').slice(0, 3).join(' | ')}`);
					fs.writeFileSync(path.join(logs, `failed-${count}-${repeat}-${spec.key}.txt`), `${error.message}\n${(error.stderr ?? '').slice(-20000)}\n${tailOfRun}`);
					break;
				}
				const stdoutBytes = Buffer.byteLength(printed);
				const { run: execution } = parseExecuteOutput(printed);
				printed = undefined;
				fs.rmSync(outFile, { force: true });
				assert.equal(execution.status, 'success', `run ${spec.key} at ${count}: status ${execution.status}: ${JSON.stringify(execution.data?.resultData?.error ?? null).slice(0, 800)}`);
				const runData = execution.data.resultData.runData;
				const komboRun = runData[KOMBO][0];
				const succeededOut = komboRun.data.main[0] ?? [];
				const failedOut = komboRun.data.main[1] ?? [];
				const statuses = {};
				for (const item of succeededOut) statuses[item.json.status] = (statuses[item.json.status] ?? 0) + 1;
				const { lines } = readNewLines(storeLog, storeFrom);
				const timed = timings(lines);
				const { store } = timed;
				const { row, files } = await readStore(workflowId);
				const stats = stub.stats();
				const result = {
					count,
					repeat,
					key: spec.key,
					what: spec.what,
					skip: spec.skip,
					posts: stats.posts,
					polls: stats.polls,
					sent: sentInRun,
					violations: stats.violations,
					out: { succeeded: statuses.SUCCEEDED ?? 0, unchanged: statuses.UNCHANGED ?? 0, failed: failedOut.length, other: succeededOut.length - (statuses.SUCCEEDED ?? 0) - (statuses.UNCHANGED ?? 0) },
					komboMs: komboRun.executionTime,
					codeMs: runData[ROWS][0].executionTime,
					wallMs,
					stdoutBytes,
					...timed,
					row: row ? { entries: row.entries, bytes: row.bytes, mode: row.mode, context: row.context } : null,
					dbFileBytes: Object.values(files).reduce((sum, size) => sum + size, 0),
				};
				report.runs.push(result);
				log(
					`  Kombo ${ms(result.komboMs)} (execute() CPU ${ms(timed.komboExecute?.cpuMs)}), store ${ms(store.totalMs)} (CPU ${ms(store.cpuMs)}) [${store.calls.map(describeCall).join('; ')}], ${n(result.posts)} POSTs, ${n(result.sent)} sent, ` +
						`${n(result.out.succeeded)}/${n(result.out.unchanged)}/${n(result.out.failed)} out, row ${n(row?.entries)} entries ${bytes(row?.bytes)}, wall ${ms(result.wallMs)}, n8n peak RSS ${bytes((timed.n8nProcess?.maxRssKiB ?? 0) * 1024)}`,
				);
				assert.equal(stats.violations, 0, `the sandbox saw ${stats.violations} contract violations`);
				assert.equal(result.out.other, 0, 'statuses other than SUCCEEDED and UNCHANGED on the success output');
				fs.writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2));
			}
		}

		if (options.removeCost.length > 0) {
			log(`removeProcessed's loop without n8n (Node ${app.node}): ${options.removeCost.join(', ')}…`);
			for (const spec of options.removeCost) {
				const { stdout } = await run(app.nodeBin, [REMOVE_COST, spec], { timeoutMs: 3 * 60 * 60_000 });
				const measured = JSON.parse(stdout.trim());
				report.removeCost.push(measured);
				log(`  ${spec}: remove ${ms(measured.removeMs)} (CPU ${ms(measured.removeCpuMs)}), rewrite ${ms(measured.rewriteMs)}`);
				fs.writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2));
			}
		}

		log(`n8n's error-output routing (Array.prototype.shift per item) without n8n: ${options.sizes.join(', ')} items…`);
		const shifted = await run(app.nodeBin, [SHIFT_COST, ...options.sizes.map(String)], { timeoutMs: 60 * 60_000 });
		report.shiftCost = shifted.stdout.trim().split('\n').map((line) => JSON.parse(line));
		for (const each of report.shiftCost) log(`  ${n(each.items)} items: ${ms(each.ms)} (CPU ${ms(each.cpuMs)})`);

		const pids = fs.existsSync(`${networkLog}.pids`) ? fs.readFileSync(`${networkLog}.pids`, 'utf8').trim().split('\n').filter(Boolean) : [];
		const attempts = fs.readFileSync(networkLog, 'utf8').trim();
		report.network = { guardedProcesses: pids.length, outboundAttempts: attempts === '' ? 0 : attempts.split('\n').length };
		assert.ok(pids.length >= 1, 'the network guard was not loaded into any n8n process');
		assert.equal(attempts, '', `an n8n process tried to reach beyond 127.0.0.1:\n${attempts.split('\n').slice(0, 5).join('\n')}`);
		ok = report.runs.every((r) => !r.failed);
	} finally {
		if (stub) await stub.close().catch(() => undefined);
		killAll();
		report.finishedAt = new Date().toISOString();
		report.loadAfter = os.loadavg().map((load) => load.toFixed(2)).join(' ');
		fs.mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
		fs.writeFileSync(RESULTS_FILE, JSON.stringify(report, null, 2));
		if (options.json) fs.writeFileSync(options.json, JSON.stringify(report, null, 2));
		if (ok && !options.keep) fs.rmSync(work, { recursive: true, force: true });
		else console.log(`work folder kept: ${work}`);
	}

	console.log(`\nn8n ${report.n8n} on Node ${report.node}; ${report.machine.cpus} × ${report.machine.model}, ${report.machine.memoryGiB} GiB; load ${report.machine.load} before, ${report.loadAfter} after; ${seconds(Date.now() - startedAt)} in all`);
	console.log(`network: guard in ${report.network?.guardedProcesses ?? '?'} processes, ${report.network?.outboundAttempts ?? '?'} outbound attempts\n`);
	console.log(tables(report.runs.filter((r) => !r.failed)));
	for (const failed of report.runs.filter((r) => r.failed)) console.log(`\n${n(failed.count)} courses, run ${failed.key}: FAILED\n${failed.failed.split('\n').slice(0, 12).join('\n')}`);
	if (report.removeCost.length > 0) console.log(`\n${removeCostTable(report.removeCost)}`);
	if (report.shiftCost.length > 0) {
		console.log('\n| Items on the output | n8n’s error-output loop (shift per item): wall (CPU) |\n|---:|---:|');
		for (const each of report.shiftCost) console.log(`| ${n(each.items)} | ${ms(each.ms)} (${ms(each.cpuMs)}) |`);
	}
	process.exitCode = ok ? 0 : 1;
}

process.on('SIGINT', () => {
	killAll();
	process.exit(130);
});

main().catch((error) => {
	killAll();
	console.error(error);
	process.exit(1);
});
