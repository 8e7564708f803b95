#!/usr/bin/env node
'use strict';

// `npm run test:overlap`: Skip Unchanged Courses in the real n8n app (2.41.1 on Node 24, the e2e
// cache) when two executions of one published workflow start together, and what its record
// costs at 10,000 and 100,000 courses. Headless and offline; everything on 127.0.0.1.
//
//   node scripts/overlap-real.js [--db=sqlite,postgres,queue] [--pairs=16] [--courses=500]
//                                [--sizes=10000,100000] [--keep]
//
// Per setup: `sqlite` (n8n's default), `postgres` (PostgreSQL from Debian's package, started by
// this script in a throwaway folder), `queue` (n8n's queue mode: PostgreSQL, Debian's
// redis-server, one main instance and two workers, each worker with the package in its own user
// folder):
//
//  1. A published workflow: Webhook (POST, answers with the last node) → Code node making
//     `count` course rows, every 100th row's title in its `edition` → Kombo Create or Update
//     (Map Automatically, Wait for Completion, Skip Unchanged Courses) → Code node summing up
//     each course's status. The Kombo sandbox answers with tasks done 0.8 s after creation.
//  2. Pair 0: two calls posted at once on an empty record, with edition 1: each must send every
//     course, without error. Then `--pairs` pairs: two calls posted at once with the next
//     edition, so each pair edits the same 1 % of the rows. For each execution of a pair: every
//     edited row must come out SUCCEEDED (sent, never UNCHANGED: Kombo had not confirmed it),
//     every other row UNCHANGED, and no error. In queue mode n8n 2.41 hands its workers no static
//     data, so there every row may come out SUCCEEDED (sent again), and nothing else changes.
//  3. The cost: per size, a workflow of its own, run with the option off, then on with an empty
//     record, with nothing changed, and with 1 % edited: each call's time, the record's size in
//     the workflow's row, and what `GET /rest/workflows/:id` (the editor opening the workflow)
//     returns.

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ensureN8nApp, seconds } = require('../test/e2e/lib/n8n-app');
const { run, killAll, runMain, start } = require('../test/e2e/lib/proc');
const packaging = require('../test/e2e/lib/packaging');
const { freePort, installCommunityPackage, n8nEnv, cli, startServer } = require('../test/e2e/lib/n8n');
const { startKomboStub } = require('../test/support/kombo-stub');
const { postRaw } = require('../test/e2e/lib/webhooks');
const { machine } = require('./bench/machine');

const REPO = path.resolve(__dirname, '..');
const GUARD = path.join(REPO, 'test', 'e2e', 'lib', 'network-guard.js');
const STATIC_DATA_SIZE = path.join(__dirname, 'overlap', 'static-data-size.js');
const RECORD_COST = path.join(__dirname, 'overlap', 'record-cost.js');
const NODE_TYPE = 'n8n-nodes-kombo.kombo';
const CREDENTIAL_TYPE = 'komboApi';
const CREDENTIAL = { id: 'KomboOverlapCred1', name: 'Kombo sandbox' };
const INTEGRATION_ID = 'sandbox:demo';
const KOMBO = 'Create or Update Courses';
const EDIT_EVERY = 100;
const CALL_TIMEOUT_MS = 30 * 60_000;

function parseArgs(argv) {
	const options = { db: ['sqlite', 'postgres', 'queue'], pairs: 16, courses: 500, sizes: [10_000, 100_000], keep: false };
	for (const arg of argv) {
		const [name, value] = arg.split('=');
		if (name === '--db') options.db = value.split(',');
		else if (name === '--pairs') options.pairs = Number(value);
		else if (name === '--courses') options.courses = Number(value);
		else if (name === '--sizes') options.sizes = value ? value.split(',').map((size) => Number(size.replace(/_/g, ''))) : [];
		else if (name === '--keep') options.keep = true;
		else throw new Error(`Unknown option ${arg}`);
	}
	return options;
}

const originId = (index) => `C-${String(index).padStart(7, '0')}`;

const ROWS_CODE = [
	'const { count, edition } = $input.first().json.body;',
	'const rows = new Array(count);',
	'for (let i = 0; i < count; i++) {',
	`\tconst edited = edition > 1 && i % ${EDIT_EVERY} === 0;`,
	"\trows[i] = { json: { origin_id: 'C-' + String(i).padStart(7, '0'), title: 'Course ' + i + (edited ? ' (edition ' + edition + ')' : ''), course_url: 'https://academy.example/courses/' + i } };",
	'}',
	'return rows;',
].join('\n');

const SUMMARY_CODE = [
	'const items = $input.all();',
	'const counts = {};',
	'const statuses = {};',
	'for (const item of items) {',
	'\tcounts[item.json.status] = (counts[item.json.status] ?? 0) + 1;',
	'\tif (items.length <= 1000) statuses[item.json.origin_id] = item.json.status;',
	'}',
	'return [{ json: { executionId: $execution.id, counts, statuses } }];',
].join('\n');

function workflow(id, webhookPath, skip) {
	const nodeId = (n) => `c0000000-0000-4000-8000-${id.slice(-8).padStart(10, '0')}0${n}`;
	return {
		id,
		name: `Skip Unchanged overlap ${id}`,
		active: false,
		settings: { executionOrder: 'v1' },
		nodes: [
			{
				id: nodeId(1),
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: `d0000000-0000-4000-8000-${id.slice(-8).padStart(12, '0')}`,
				parameters: { httpMethod: 'POST', path: webhookPath, responseMode: 'lastNode', responseData: 'firstEntryJson', options: {} },
			},
			{ id: nodeId(2), name: 'Course rows', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0], parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: ROWS_CODE } },
			{
				id: nodeId(3),
				name: KOMBO,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				credentials: { [CREDENTIAL_TYPE]: CREDENTIAL },
				parameters: {
					resource: 'course',
					operation: 'upsert',
					columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
					waitForCompletion: true,
					options: { batchSize: 1000, ...(skip ? { skipUnchanged: true } : {}) },
				},
			},
			{ id: nodeId(4), name: 'Summary', type: 'n8n-nodes-base.code', typeVersion: 2, position: [660, 0], parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: SUMMARY_CODE } },
		],
		connections: {
			Webhook: { main: [[{ node: 'Course rows', type: 'main', index: 0 }]] },
			'Course rows': { main: [[{ node: KOMBO, type: 'main', index: 0 }]] },
			[KOMBO]: { main: [[{ node: 'Summary', type: 'main', index: 0 }]] },
		},
	};
}

async function post(port, urlPath, body) {
	const startedAt = Date.now();
	const res = await postRaw(port, urlPath, JSON.stringify(body), { 'content-type': 'application/json' }, CALL_TIMEOUT_MS);
	return { status: res.status, text: res.text, json: res.json, startedAt, ms: Date.now() - startedAt };
}

/** A PostgreSQL cluster of Debian's package in a throwaway folder, run as the postgres user. */
async function startPostgres(work, log) {
	const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
	if (versions.length === 0) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
	const bin = path.join('/usr/lib/postgresql', versions[0], 'bin');
	const dataDir = fs.mkdtempSync(path.join(work, 'pgdata-'));
	const socketDir = fs.mkdtempSync(path.join(work, 'pgsocket-'));
	fs.mkdirSync(dataDir, { recursive: true });
	fs.mkdirSync(socketDir, { recursive: true });
	await run('chown', ['-R', 'postgres:postgres', dataDir, socketDir], { timeoutMs: 30_000 });
	fs.chmodSync(work, 0o755);
	const port = await freePort();
	const asPostgres = (args, timeoutMs = 120_000) => run('runuser', ['-u', 'postgres', '--', ...args], { timeoutMs });
	await asPostgres([path.join(bin, 'initdb'), '-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
	const server = start('runuser', ['-u', 'postgres', '--', path.join(bin, 'postgres'), '-D', dataDir, '-p', String(port), '-k', socketDir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'], { logFile: path.join(work, 'postgres.log') });
	for (let tries = 0; tries < 120; tries++) {
		const ready = await run(path.join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { timeoutMs: 10_000, allowFailure: true });
		if (ready.code === 0) break;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	await asPostgres([path.join(bin, 'createdb'), '-h', '127.0.0.1', '-p', String(port), 'n8n']);
	log(`PostgreSQL ${versions[0]} on 127.0.0.1:${port}`);
	const psql = async (sql) => (await run(path.join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'n8n', '-At', '-c', sql], { timeoutMs: 60_000 })).stdout.trim();
	return { port, server, psql, version: versions[0] };
}

/** Debian's redis-server on a free port of 127.0.0.1, keeping nothing on disk. */
async function startRedis(work, log) {
	const port = await freePort();
	const server = start('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', work], { logFile: path.join(work, 'redis.log') });
	for (let tries = 0; tries < 60 && !/Ready to accept connections/i.test(server.output()); tries++) await new Promise((resolve) => setTimeout(resolve, 250));
	assert.match(server.output(), /Ready to accept connections/i, server.output().slice(-1000));
	log(`Redis on 127.0.0.1:${port}`);
	return { port, server };
}

const statusOf = (response) => (response.json && typeof response.json === 'object' ? response.json : undefined);

/**
 * What one execution of a pair did. It must send every edited row (Kombo had not confirmed that
 * version: reporting it UNCHANGED is the defect) and answer without error; with the record read
 * as a snapshot it also skips every other row, where a record that two runs share while open
 * made one of them send everything again (harmless, but not the option's point).
 */
function outcome(response, count, edition, emptyRecord) {
	const summary = statusOf(response);
	if (response.status !== 200 || !summary?.statuses) return { kind: 'error', detail: `answered ${response.status}: ${response.text.slice(0, 300)}` };
	if (emptyRecord) {
		const notSent = Object.values(summary.statuses).filter((status) => status !== 'SUCCEEDED').length;
		return notSent === 0 && Object.keys(summary.statuses).length === count ? { kind: 'as expected', detail: '' } : { kind: 'error', detail: `${notSent} rows not SUCCEEDED on an empty record` };
	}
	let skippedUnconfirmed = 0;
	let sentAgain = 0;
	let other = 0;
	for (let index = 0; index < count; index++) {
		const status = summary.statuses[originId(index)];
		const edited = edition > 1 && index % EDIT_EVERY === 0;
		if (edited && status === 'UNCHANGED') skippedUnconfirmed++;
		else if (!edited && status === 'SUCCEEDED') sentAgain++;
		else if (status !== (edited ? 'SUCCEEDED' : 'UNCHANGED')) other++;
	}
	if (skippedUnconfirmed > 0) return { kind: 'skipped unconfirmed', detail: `${skippedUnconfirmed} edited rows UNCHANGED` };
	if (other > 0) return { kind: 'error', detail: `${other} rows neither SUCCEEDED nor UNCHANGED` };
	if (sentAgain > 0) return { kind: 'sent again', detail: `${sentAgain} unchanged rows sent again` };
	return { kind: 'as expected', detail: '' };
}

/**
 * In queue mode n8n 2.41 hands its workers no static data (the workflow it saves with a new
 * execution leaves it out), so no execution there can skip anything: sending everything is what
 * the option can do, and is safe. Elsewhere each execution must skip exactly the confirmed rows.
 */
function acceptable(label, result) {
	return result.kind === 'as expected' || (label === 'queue' && result.kind === 'sent again');
}

async function exercise({ label, app, env, work, logs, stub, options, log, sizesInDatabase, startWorkers }) {
	const n8n = cli(app, env, path.join(logs, `n8n-cli-${label}.log`));
	const credentialsFile = path.join(work, `credentials-${label}.json`);
	const data = { apiKey: stub.apiKey, integrationId: INTEGRATION_ID, region: 'custom', baseUrl: stub.url };
	fs.writeFileSync(credentialsFile, JSON.stringify([{ ...CREDENTIAL, type: CREDENTIAL_TYPE, data }]));
	assert.match((await n8n(['import:credentials', `--input=${credentialsFile}`])).stdout, /Successfully imported 1 credential/);

	const flows = [{ id: 'KomboOverlapPair1', path: 'kombo-overlap-pairs', skip: true }];
	for (const size of options.sizes) {
		flows.push({ id: `KomboCostOff${String(size).padStart(6, '0')}`, path: `kombo-cost-off-${size}`, skip: false, size });
		flows.push({ id: `KomboCostOn0${String(size).padStart(6, '0')}`, path: `kombo-cost-on-${size}`, skip: true, size });
	}
	for (const flow of flows) {
		const file = path.join(work, `workflow-${label}-${flow.id}.json`);
		fs.writeFileSync(file, JSON.stringify(workflow(flow.id, flow.path, flow.skip)));
		assert.match((await n8n(['import:workflow', `--input=${file}`])).stdout, /Successfully imported 1 workflow/);
		await n8n(['publish:workflow', `--id=${flow.id}`]);
	}
	const rest = await startServer(app, env, path.join(logs, `n8n-server-${label}.log`));
	const workers = startWorkers ? await startWorkers() : [];
	const result = { label, pairs: [], cost: [] };
	try {
		const call = async (flowPath, body) => await post(rest.port, `/webhook/${flowPath}`, body);
		// n8n answers its health check before it has registered the published workflows' webhooks.
		// A call with no rows runs no Kombo node, so it leaves every record as it is (n8n answers it
		// 500, "No item to return was found"; 404 until the webhook is registered).
		for (const flow of flows) {
			let answer;
			for (let tries = 0; tries < 240; tries++) {
				answer = await call(flow.path, { count: 0, edition: 1 });
				if (answer.status !== 404) break;
				await new Promise((resolve) => setTimeout(resolve, 500));
			}
			assert.notEqual(answer.status, 404, `the webhook of ${flow.id} was never registered: ${answer.text.slice(0, 300)}`);
		}

		// Pairs: pair 0 on an empty record (both must send everything), then one edit a pair.
		for (let pair = 0; pair <= options.pairs; pair++) {
			const edition = pair + 1;
			stub.reset({});
			const [a, b] = await Promise.all([call('kombo-overlap-pairs', { count: options.courses, edition }), call('kombo-overlap-pairs', { count: options.courses, edition })]);
			const sent = stub.posts().flatMap((request) => request.body.items.map((item) => item.origin_id));
			const outcomes = [outcome(a, options.courses, edition, pair === 0), outcome(b, options.courses, edition, pair === 0)];
			const entry = {
				pair,
				startedApartMs: Math.abs(a.startedAt - b.startedAt),
				ms: [a.ms, b.ms],
				counts: [statusOf(a)?.counts, statusOf(b)?.counts],
				sent: sent.length,
				sentDistinct: new Set(sent).size,
				outcomes,
			};
			result.pairs.push(entry);
			log(`  ${label} pair ${pair}: ${a.ms} ms and ${b.ms} ms; out ${JSON.stringify(entry.counts[0])} and ${JSON.stringify(entry.counts[1])}; ${entry.sent} courses sent (${entry.sentDistinct} distinct); ${outcomes.map((o) => `${o.kind}${o.detail ? ` (${o.detail})` : ''}`).join(' and ')}`);
		}

		// Cost.
		for (const size of options.sizes) {
			const offFlow = flows.find((flow) => flow.size === size && !flow.skip);
			const onFlow = flows.find((flow) => flow.size === size && flow.skip);
			const runs = [
				{ key: 'off', flow: offFlow, edition: 1, what: 'option off: all sent' },
				{ key: '1', flow: onFlow, edition: 1, what: 'empty record: all sent' },
				{ key: '2', flow: onFlow, edition: 1, what: 'nothing changed' },
				{ key: '3', flow: onFlow, edition: 2, what: '1 % edited' },
			];
			for (const spec of runs) {
				stub.reset({});
				const response = await call(spec.flow.path, { count: size, edition: spec.edition });
				assert.equal(response.status, 200, response.text.slice(0, 500));
				const opened = await rest.get(`/rest/workflows/${spec.flow.id}`);
				assert.equal(opened.status, 200, opened.text.slice(0, 500));
				const loaded = opened.json?.data ?? {};
				const stored = await sizesInDatabase(spec.flow.id, statusOf(response).executionId);
				const entry = {
					size,
					key: spec.key,
					what: spec.what,
					ms: response.ms,
					counts: statusOf(response).counts,
					posts: stub.stats().posts,
					recordBytes: stored.bytes,
					executionWorkflowBytes: stored.executionWorkflowBytes,
					executionDataBytes: stored.executionDataBytes,
					editorBytes: opened.raw.length,
					editorHasStaticData: JSON.stringify(loaded.staticData ?? null).length > 4,
				};
				result.cost.push(entry);
				log(`  ${label} ${size.toLocaleString('en-US')} courses, ${spec.key} (${spec.what}): ${seconds(entry.ms)}, ${entry.posts} POSTs, out ${JSON.stringify(entry.counts)}, static data ${entry.recordBytes} bytes in the database, the execution saved with a workflow of ${entry.executionWorkflowBytes} bytes and ${entry.executionDataBytes} bytes of run data, GET /rest/workflows/:id ${entry.editorBytes} bytes${entry.editorHasStaticData ? ' (with the static data)' : ''}`);
			}
		}
	} finally {
		for (const worker of workers) await worker.stop();
		await rest.server.stop();
	}
	return result;
}

async function main() {
	const options = parseArgs(process.argv.slice(2));
	const startedAt = Date.now();
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kombo-overlap-'));
	const logs = path.join(work, 'logs');
	fs.mkdirSync(logs, { recursive: true });
	const networkLog = path.join(work, 'network-attempts.jsonl');
	fs.writeFileSync(networkLog, '');
	const log = (text) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${text}`);
	const report = { machine: { ...machine(), load: os.loadavg().map((load) => load.toFixed(2)).join(' ') }, options, results: [] };
	let stub;
	let postgres;
	let redis;
	let ok = false;
	try {
		const app = await ensureN8nApp(log);
		const packed = await packaging.pack(REPO, work);
		stub = await startKomboStub({ port: 0, completeAfterMs: 800, maxRequestsKept: 400 });
		log(`n8n ${app.n8n} on Node ${app.node}; Kombo sandbox at ${stub.url}; load ${report.machine.load}`);
		const packageName = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).name;
		for (const db of options.db) {
			const userFolder = path.join(work, `user-${db}`);
			fs.mkdirSync(userFolder, { recursive: true });
			await installCommunityPackage(userFolder, packed.tarball, packageName);
			const env = n8nEnv(app, { userFolder, port: await freePort(), brokerPort: await freePort(), networkLog, guard: GUARD });
			let sizesInDatabase;
			let startWorkers;
			if (db === 'queue') {
				redis = await startRedis(work, log);
				Object.assign(env, { EXECUTIONS_MODE: 'queue', QUEUE_BULL_REDIS_HOST: '127.0.0.1', QUEUE_BULL_REDIS_PORT: String(redis.port), QUEUE_HEALTH_CHECK_ACTIVE: 'false' });
				startWorkers = async () => {
					const workers = [];
					for (const index of [1, 2]) {
						const folder = path.join(work, `user-${db}-worker${index}`);
						fs.mkdirSync(folder, { recursive: true });
						await installCommunityPackage(folder, packed.tarball, packageName);
						const workerEnv = { ...env, HOME: folder, N8N_USER_FOLDER: folder, N8N_RUNNERS_BROKER_PORT: String(await freePort()), QUEUE_HEALTH_CHECK_PORT: String(await freePort()) };
						const worker = start(app.nodeBin, [app.n8nBin, 'worker', '--concurrency=5'], { cwd: folder, env: workerEnv, logFile: path.join(logs, `n8n-worker${index}.log`) });
						workers.push(worker);
					}
					for (let tries = 0; tries < 240 && !workers.every((worker) => /n8n worker is now ready/i.test(worker.output())); tries++) await new Promise((resolve) => setTimeout(resolve, 500));
					for (const worker of workers) assert.match(worker.output(), /n8n worker is now ready/i, worker.output().slice(-2000));
					log('queue mode: two workers ready');
					return workers;
				};
			}
			if (db === 'postgres' || db === 'queue') {
				postgres = await startPostgres(work, log);
				Object.assign(env, { DB_TYPE: 'postgresdb', DB_POSTGRESDB_HOST: '127.0.0.1', DB_POSTGRESDB_PORT: String(postgres.port), DB_POSTGRESDB_DATABASE: 'n8n', DB_POSTGRESDB_USER: 'postgres', DB_POSTGRESDB_PASSWORD: '' });
				sizesInDatabase = async (id, executionId) => {
					const bytes = Number(await postgres.psql(`SELECT coalesce(octet_length("staticData"::text), 0) FROM workflow_entity WHERE id = '${id}'`));
					const [workflowBytes, dataBytes] = (await postgres.psql(`SELECT octet_length("workflowData"::text), octet_length("data"::text) FROM execution_data WHERE "executionId" = ${Number(executionId)}`)).split('|').map(Number);
					return { bytes, executionWorkflowBytes: workflowBytes || 0, executionDataBytes: dataBytes || 0 };
				};
			} else {
				const file = path.join(userFolder, '.n8n', 'database.sqlite');
				sizesInDatabase = async (id, executionId) => JSON.parse((await run(app.nodeBin, [STATIC_DATA_SIZE, app.appDir, file, id, String(executionId)], { timeoutMs: 60_000 })).stdout.trim());
			}
			log(`${db}: importing, publishing and starting n8n`);
			report.results.push(await exercise({ label: db, app, env, work, logs, stub, options, log, sizesInDatabase, startWorkers }));
			if (postgres) {
				await postgres.server.stop();
				postgres = undefined;
			}
			if (redis) {
				await redis.server.stop();
				redis = undefined;
			}
		}
		if (options.sizes.length > 0) {
			const measured = await run(process.execPath, [RECORD_COST, ...options.sizes.map(String)], { timeoutMs: 30 * 60_000 });
			report.recordCost = measured.stdout.trim().split('\n').map((line) => JSON.parse(line));
		}
		const attempts = fs.readFileSync(networkLog, 'utf8').trim();
		assert.equal(attempts, '', `an n8n process tried to reach beyond 127.0.0.1:\n${attempts.split('\n').slice(0, 5).join('\n')}`);
		ok = report.results.every((result) => result.pairs.every((pair) => pair.outcomes.every((o) => acceptable(result.label, o))));
	} finally {
		if (stub) await stub.close().catch(() => undefined);
		if (postgres) await postgres.server.stop().catch(() => undefined);
		if (redis) await redis.server.stop().catch(() => undefined);
		killAll();
		report.loadAfter = os.loadavg().map((load) => load.toFixed(2)).join(' ');
		fs.mkdirSync(path.join(REPO, '.cache'), { recursive: true });
		fs.writeFileSync(path.join(REPO, '.cache', 'overlap-real-results.json'), JSON.stringify(report, null, 2));
		if (ok && !options.keep) fs.rmSync(work, { recursive: true, force: true });
		else console.log(`work folder kept: ${work}`);
	}

	console.log(`\n${report.machine.cpus} × ${report.machine.model}; load ${report.machine.load} before, ${report.loadAfter} after; ${seconds(Date.now() - startedAt)} in all\n`);
	const kinds = ['as expected', 'sent again', 'skipped unconfirmed', 'error'];
	console.log(`| Database | Pairs | Calls started apart (ms) | Executions: ${kinds.join(' / ')} | Courses sent per pair (distinct): pairs |`);
	console.log('|---|---:|---|---|---|');
	for (const result of report.results) {
		const apart = result.pairs.map((pair) => pair.startedApartMs);
		const tally = kinds.map((kind) => result.pairs.reduce((sum, pair) => sum + pair.outcomes.filter((o) => o.kind === kind).length, 0));
		const sentCounts = new Map();
		for (const pair of result.pairs) sentCounts.set(`${pair.sent} (${pair.sentDistinct})`, (sentCounts.get(`${pair.sent} (${pair.sentDistinct})`) ?? 0) + 1);
		const sent = [...sentCounts].map(([what, pairs]) => `${what}: ${pairs}`).join(', ');
		console.log(`| ${result.label} | ${result.pairs.length} | ${Math.min(...apart)}–${Math.max(...apart)} | ${tally.join(' / ')} | ${sent} |`);
	}
	console.log('\n| Database | Courses | Run | Webhook call | POSTs | Out | Static data in the database | Saved with the execution: workflow / run data | GET /rest/workflows/:id |');
	console.log('|---|---:|---|---:|---:|---|---:|---:|---:|');
	for (const result of report.results) {
		for (const c of result.cost) {
			console.log(`| ${result.label} | ${c.size.toLocaleString('en-US')} | ${c.key}: ${c.what} | ${seconds(c.ms)} | ${c.posts} | ${Object.entries(c.counts).map(([k, v]) => `${v.toLocaleString('en-US')} ${k}`).join(', ')} | ${c.recordBytes.toLocaleString('en-US')} B | ${c.executionWorkflowBytes.toLocaleString('en-US')} B / ${c.executionDataBytes.toLocaleString('en-US')} B | ${c.editorBytes.toLocaleString('en-US')} B${c.editorHasStaticData ? ' (static data included)' : ''} |`);
		}
	}
	if (report.recordCost) {
		const cell = (t) => `${t.ms.toFixed(0)} ms (CPU ${t.cpuMs.toFixed(0)} ms)`;
		console.log('\nThe node’s own work on the record, without n8n (medians of 5; Node ' + process.version + '):\n');
		console.log('| Courses | Fingerprints alone | Read: empty record | Write: all sent | Read: full record | Write: nothing sent | Read: 1 % edited | Write: 1 % sent | JSON of the static data |');
		console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
		for (const c of report.recordCost) {
			console.log(`| ${c.count.toLocaleString('en-US')} | ${cell(c.fingerprints)} | ${cell(c.openEmpty)} | ${cell(c.closeAll)} | ${cell(c.openFull)} | ${cell(c.closeNothingSent)} | ${cell(c.openEdited)} | ${cell(c.closeEdited)} | ${cell(c.serialise)} |`);
		}
	}
	const executions = report.results.flatMap((result) => result.pairs.flatMap((pair) => pair.outcomes));
	const passed = report.results.reduce((sum, result) => sum + result.pairs.reduce((inPair, pair) => inPair + pair.outcomes.filter((o) => acceptable(result.label, o)).length, 0), 0);
	console.log(`\n${passed} passed, ${executions.length - passed} failed`);
	process.exitCode = ok ? 0 : 1;
}

runMain(main);
