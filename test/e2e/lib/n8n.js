'use strict';

// Drives the real n8n app headlessly: a throwaway user folder with the package installed the way
// n8n installs a community package, the environment that keeps n8n on 127.0.0.1, its CLI
// (import:credentials, import:workflow, execute) and, for the loader checks, a briefly started
// `n8n start` and its REST API.

const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const path = require('node:path');

const { run, start } = require('./proc');

const ENCRYPTION_KEY = 'kombo-e2e-fixed-encryption-key-0001';
/** The owner account a fresh n8n gets (the password has 8+ characters, a digit and a capital). */
const OWNER = Object.freeze({ email: 'e2e@example.com', firstName: 'E2E', lastName: 'Owner', password: 'Kombo-e2e-password-1' });
const RUN_SEPARATOR = '====================================';

async function freePort() {
	return await new Promise((resolve, reject) => {
		const server = net.createServer();
		server.unref();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address();
			server.close(() => resolve(port));
		});
	});
}

/**
 * Installs the tarball as n8n's Community Nodes screen does (CommunityPackagesService
 * .downloadPackage in n8n 2.41): unpack into `<user folder>/.n8n/nodes/node_modules/<name>`, drop
 * dev, peer and optional dependencies from its package.json, `npm install` inside it with
 * scripts off, and record it in `<user folder>/.n8n/nodes/package.json`.
 */
async function installCommunityPackage(userFolder, tarball, packageName) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	const packageDir = path.join(nodesDir, 'node_modules', packageName);
	fs.mkdirSync(packageDir, { recursive: true });
	const nodesPackageJson = path.join(nodesDir, 'package.json');
	fs.writeFileSync(nodesPackageJson, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
	await run('tar', ['-xzf', tarball, '-C', packageDir, '--strip-components=1'], { timeoutMs: 60_000 });
	const manifestPath = path.join(packageDir, 'package.json');
	const manifest = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
	for (const key of ['devDependencies', 'peerDependencies', 'optionalDependencies']) delete manifest[key];
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	await run(
		'npm',
		['install', '--audit=false', '--fund=false', '--bin-links=false', '--install-strategy=shallow', '--ignore-scripts=true', '--package-lock=false'],
		{ cwd: packageDir, timeoutMs: 180_000 },
	);
	const nodes = JSON.parse(fs.readFileSync(nodesPackageJson, 'utf8'));
	nodes.dependencies[packageName] = manifest.version;
	fs.writeFileSync(nodesPackageJson, JSON.stringify(nodes, null, 2));
	return { packageDir, manifest };
}

/** Everything n8n needs to run here and stay on 127.0.0.1 (see docs: n8n-notes.md). */
function n8nEnv(app, { userFolder, port, brokerPort, networkLog, guard }) {
	const env = {
		...process.env,
		PATH: `${path.dirname(app.nodeBin)}${path.delimiter}${process.env.PATH}`,
		HOME: userFolder,
		N8N_USER_FOLDER: userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PORT: String(port),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_RUNNERS_BROKER_PORT: String(brokerPort),
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
		// The list of verified community nodes comes from api.n8n.io (api-staging.n8n.io outside
		// production); the editor asks for it when the node picker opens.
		N8N_VERIFIED_PACKAGES_ENABLED: 'false',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		// The MCP server registry refreshes its list from api.n8n.io at start; nothing here needs it.
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_SECURE_COOKIE: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		DB_TYPE: 'sqlite',
		KOMBO_E2E_NETWORK_LOG: networkLog,
		NODE_OPTIONS: `--require ${JSON.stringify(guard)}`,
	};
	for (const key of Object.keys(env)) {
		// A developer's own n8n settings must not leak into the run.
		if (/^(N8N_CUSTOM_EXTENSIONS|N8N_NODES_INCLUDE|N8N_NODES_EXCLUDE|DB_POSTGRESDB_.*|N8N_PROXY_.*|HTTPS?_PROXY|ALL_PROXY)$/i.test(key)) delete env[key];
	}
	return env;
}

function cli(app, env, logFile) {
	return async (args, options = {}) =>
		await run(app.nodeBin, [app.n8nBin, ...args], { cwd: env.N8N_USER_FOLDER, env, logFile, timeoutMs: options.timeoutMs ?? 180_000, allowFailure: options.allowFailure });
}

/** Finds the end of the JSON value that starts at `start` (strings and escapes respected). */
function jsonEnd(text, start) {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const ch = text[i];
		if (inString) {
			if (ch === '\\') i++;
			else if (ch === '"') inString = false;
		} else if (ch === '"') inString = true;
		else if (ch === '{' || ch === '[') depth++;
		else if (ch === '}' || ch === ']') {
			depth--;
			if (depth === 0) return i + 1;
		}
	}
	return -1;
}

/**
 * `n8n execute` prints its logs and then "Execution was successful:", a line of "=" and the run
 * as JSON, all on stdout (other log lines may follow it). Returns the parsed run.
 */
function parseExecuteOutput(stdout) {
	const marker = stdout.indexOf(RUN_SEPARATOR);
	if (marker === -1) throw new Error('n8n execute printed no run data');
	const start = stdout.indexOf('{', marker);
	const end = start === -1 ? -1 : jsonEnd(stdout, start);
	if (end === -1) throw new Error('n8n execute printed an incomplete run');
	return { headline: stdout.slice(0, marker).trim().split('\n').pop(), run: JSON.parse(stdout.slice(start, end)) };
}

function request(port, method, urlPath, { body, cookie } = {}) {
	return new Promise((resolve, reject) => {
		const payload = body === undefined ? undefined : JSON.stringify(body);
		const req = http.request(
			{
				host: '127.0.0.1',
				port,
				method,
				path: urlPath,
				headers: {
					...(payload ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
					...(cookie ? { cookie } : {}),
					accept: 'application/json, */*',
				},
				timeout: 60_000,
			},
			(res) => {
				const chunks = [];
				res.on('data', (chunk) => chunks.push(chunk));
				res.on('end', () => {
					const raw = Buffer.concat(chunks);
					const text = raw.toString('utf8');
					let json;
					try {
						json = JSON.parse(text);
					} catch {
						json = undefined;
					}
					resolve({ status: res.statusCode, headers: res.headers, raw, text, json });
				});
			},
		);
		req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
		req.on('error', reject);
		if (payload) req.write(payload);
		req.end();
	});
}

async function sleep(ms) {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Starts `n8n start` on the env's port and resolves once it is ready, with a REST client that is
 * logged in as a freshly set-up owner.
 */
async function startServer(app, env, logFile, { readyTimeoutMs = 120_000 } = {}) {
	const port = Number(env.N8N_PORT);
	const server = start(app.nodeBin, [app.n8nBin, 'start'], { cwd: env.N8N_USER_FOLDER, env, logFile });
	const deadline = Date.now() + readyTimeoutMs;
	let ready = false;
	while (Date.now() < deadline) {
		if (server.child.exitCode !== null) break;
		try {
			const res = await request(port, 'GET', '/healthz/readiness');
			if (res.status === 200) {
				ready = true;
				break;
			}
		} catch {
			// Not listening yet.
		}
		await sleep(500);
	}
	if (!ready) {
		await server.stop();
		throw new Error(`n8n start was not ready within ${readyTimeoutMs / 1000} s\n${server.output().slice(-4000)}`);
	}
	const setup = await request(port, 'POST', '/rest/owner/setup', { body: { ...OWNER } });
	if (setup.status !== 200) {
		await server.stop();
		throw new Error(`owner setup answered ${setup.status}: ${setup.text.slice(0, 500)}`);
	}
	const cookie = [].concat(setup.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
	return {
		server,
		port,
		get: async (urlPath) => await request(port, 'GET', urlPath, { cookie }),
		post: async (urlPath, body) => await request(port, 'POST', urlPath, { body, cookie }),
	};
}

module.exports = { freePort, installCommunityPackage, n8nEnv, cli, parseExecuteOutput, startServer, ENCRYPTION_KEY, OWNER };
