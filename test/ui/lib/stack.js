'use strict';

// What the UI test and the screenshot script both stand on: the packed package inside the cached
// n8n app (test/e2e/lib does the installing), the Kombo sandbox, `n8n start` with a fresh owner,
// and Debian's Chromium driven by playwright-core, with every request that would leave
// 127.0.0.1 refused and recorded.

const fs = require('node:fs');
const path = require('node:path');

const { ensureN8nApp, seconds } = require('../../e2e/lib/n8n-app');
const { run, killAll } = require('../../e2e/lib/proc');
const packaging = require('../../e2e/lib/packaging');
const { freePort, installCommunityPackage, n8nEnv, startServer, OWNER } = require('../../e2e/lib/n8n');

const REPO = path.resolve(__dirname, '..', '..', '..');
const GUARD = path.join(REPO, 'test', 'e2e', 'lib', 'network-guard.js');
const CHROMIUM = process.env.KOMBO_UI_CHROMIUM || '/usr/bin/chromium';
const VIEWPORT = { width: 1400, height: 900 };

// As the probe of these machines starts Chromium: no sandbox (root), no GPU, and none of the
// background traffic (QUIC, first-run pages, component updates, sync) a fresh profile starts.
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

/**
 * The cached n8n app, with the freshly built and packed package installed into a new user folder
 * the way n8n's Community Nodes screen installs one.
 */
async function prepareN8n({ work, log }) {
	const app = await ensureN8nApp(log);
	log(`n8n ${app.n8n} on Node ${app.node}${app.cached ? ' (cached)' : `, installed in ${seconds(app.installMs)}`}`);
	const logs = path.join(work, 'logs');
	fs.mkdirSync(logs, { recursive: true });
	const built = await run('npm', ['run', 'build'], { cwd: REPO, timeoutMs: 300_000, logFile: path.join(logs, 'build.log') });
	const packed = await packaging.pack(REPO, work);
	const userFolder = path.join(work, 'user');
	fs.mkdirSync(userFolder, { recursive: true });
	const packageJson = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8'));
	const installed = await installCommunityPackage(userFolder, packed.tarball, packageJson.name);
	log(`built (${seconds(built.ms)}), packed ${path.basename(packed.tarball)} and installed it into ${path.relative(work, installed.packageDir)}`);
	return { app, userFolder, logs, packageDir: installed.packageDir };
}

/**
 * Starts the sandbox and `n8n start` on free ports of 127.0.0.1, and sets up the owner through
 * `POST /rest/owner/setup`. `stop()` ends both.
 */
async function startStack({ work, app, userFolder, logs, stubOptions = {}, log }) {
	const { startKomboStub } = require(path.join(REPO, 'test', 'support', 'kombo-stub'));
	const stub = await startKomboStub({ port: 0, ...stubOptions });
	log(`Kombo sandbox at ${stub.url}`);
	const networkLog = path.join(work, 'network-attempts.jsonl');
	fs.writeFileSync(networkLog, '');
	const env = {
		...n8nEnv(app, { userFolder, port: await freePort(), brokerPort: await freePort(), networkLog, guard: GUARD }),
		// A quiet editor: no banners or "what's new" callouts that would cover the canvas.
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
	};
	const startedAt = Date.now();
	let server;
	try {
		server = await startServer(app, env, path.join(logs, 'n8n-start.log'));
	} catch (error) {
		await stub.close();
		throw error;
	}
	const baseUrl = `http://127.0.0.1:${server.port}`;
	log(`n8n at ${baseUrl}, ready with an owner in ${seconds(Date.now() - startedAt)}`);
	return {
		stub,
		server,
		baseUrl,
		networkLog,
		/** Outbound attempts the guard inside the n8n processes refused (one JSON line each). */
		n8nNetworkAttempts() {
			const text = fs.readFileSync(networkLog, 'utf8').trim();
			return text ? text.split('\n') : [];
		},
		async stop() {
			await server.server.stop().catch(() => undefined);
			await stub.close().catch(() => undefined);
		},
	};
}

function isLocalHost(hostname) {
	const name = hostname.replace(/^\[|\]$/g, '').toLowerCase();
	return name === 'localhost' || name === '::1' || /^127\.\d+\.\d+\.\d+$/.test(name);
}

/**
 * Chromium from Debian's package, with a fresh profile in the work folder. Every request (pages,
 * workers, WebSockets) whose host is not 127.0.0.1 or localhost is aborted and kept in `blocked`.
 */
async function launchBrowser({ work, viewport = VIEWPORT }) {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y --no-install-recommends chromium`);
	}
	const { chromium, selectors } = require('playwright-core');
	// n8n marks its elements with data-test-id (Playwright's default is data-testid).
	selectors.setTestIdAttribute('data-test-id');
	const profile = fs.mkdtempSync(path.join(work, 'chromium-profile-'));
	// Playwright passes the profile as --user-data-dir itself.
	const context = await chromium.launchPersistentContext(profile, {
		executablePath: CHROMIUM,
		headless: true,
		args: CHROMIUM_ARGS,
		viewport,
		deviceScaleFactor: 1,
		locale: 'en-US',
		timezoneId: 'UTC',
		colorScheme: 'light',
		serviceWorkers: 'block',
		acceptDownloads: false,
	});
	const blocked = [];
	await context.route(
		(url) => !isLocalHost(url.hostname),
		async (route) => {
			const request = route.request();
			blocked.push(`${request.method()} ${request.url()}`);
			await route.abort('blockedbyclient');
		},
	);
	await context.routeWebSocket(
		(url) => !isLocalHost(url.hostname),
		(ws) => {
			blocked.push(`WebSocket ${ws.url()}`);
			ws.close({ code: 1008, reason: 'blocked by the UI test' });
		},
	);
	const page = context.pages()[0] ?? (await context.newPage());
	page.setDefaultTimeout(30_000);
	const pageErrors = [];
	page.on('pageerror', (error) => pageErrors.push(error.message));
	return {
		context,
		page,
		blocked,
		pageErrors,
		async close() {
			await context.close().catch(() => undefined);
		},
	};
}

module.exports = { prepareN8n, startStack, launchBrowser, killAll, seconds, OWNER, REPO, VIEWPORT };
