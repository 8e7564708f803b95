'use strict';

// Preloaded into every n8n process of the e2e run (NODE_OPTIONS=--require). It lets n8n talk to
// loopback only: any DNS lookup of another host, and any socket to a non-loopback address, is
// written to KOMBO_E2E_NETWORK_LOG and refused. The runner then asserts that the log is empty,
// which proves the environment variables really keep n8n off the network instead of trusting
// that they do. Plain CommonJS with no dependencies: it runs inside n8n's Node 24.

const fs = require('node:fs');
const dns = require('node:dns');
const net = require('node:net');

const logFile = process.env.KOMBO_E2E_NETWORK_LOG;

if (logFile) {
	try {
		fs.appendFileSync(`${logFile}.pids`, `${process.pid}\n`);
	} catch {
		// See record().
	}
}

const LOCAL_HOSTNAMES = new Set(['localhost', 'localhost.localdomain', 'ip6-localhost', '']);

function isLoopback(host) {
	if (host === undefined || host === null) return true;
	const name = String(host).toLowerCase().replace(/^\[|\]$/g, '');
	if (LOCAL_HOSTNAMES.has(name)) return true;
	if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
	if (/^127\.\d+\.\d+\.\d+$/.test(name)) return true;
	if (/^::ffff:127\.\d+\.\d+\.\d+$/.test(name)) return true;
	return false;
}

function record(kind, target) {
	const line = JSON.stringify({ kind, target: String(target), pid: process.pid, stack: new Error().stack.split('\n').slice(2, 8).map((l) => l.trim()) });
	if (logFile) {
		try {
			fs.appendFileSync(logFile, `${line}\n`);
		} catch {
			// A guard that cannot log must not break the process it guards.
		}
	}
}

function refusal(host) {
	const error = new Error(`getaddrinfo ENOTFOUND ${host} (blocked by the e2e network guard)`);
	error.code = 'ENOTFOUND';
	error.hostname = host;
	return error;
}

const originalLookup = dns.lookup;
dns.lookup = function guardedLookup(hostname, options, callback) {
	if (!isLoopback(hostname)) {
		record('dns', hostname);
		const done = typeof options === 'function' ? options : callback;
		process.nextTick(() => done(refusal(hostname)));
		return {};
	}
	return originalLookup.apply(this, arguments);
};

const originalPromisesLookup = dns.promises.lookup;
dns.promises.lookup = async function guardedPromisesLookup(hostname, options) {
	if (!isLoopback(hostname)) {
		record('dns', hostname);
		throw refusal(hostname);
	}
	return await originalPromisesLookup.call(this, hostname, options);
};

function targetOf(args) {
	const [first, second] = args;
	if (Array.isArray(first)) return targetOf(first);
	if (first && typeof first === 'object') {
		if (first.path !== undefined && first.path !== null) return { path: first.path };
		return { host: first.host ?? 'localhost', port: first.port };
	}
	if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
	return { host: typeof second === 'string' ? second : 'localhost', port: first };
}

const originalConnect = net.Socket.prototype.connect;
net.Socket.prototype.connect = function guardedConnect(...args) {
	const target = targetOf(args);
	if (target.path === undefined || target.path === null) {
		if (!isLoopback(target.host) && net.isIP(String(target.host))) {
			record('connect', `${target.host}:${target.port}`);
			process.nextTick(() => this.destroy(refusal(target.host)));
			return this;
		}
		// A hostname that resolves somewhere else is caught when the lookup answers, before the
		// socket connects (net skips the connect when the socket was destroyed meanwhile).
		this.once('lookup', (error, address) => {
			if (!error && typeof address === 'string' && !isLoopback(address)) {
				record('connect', `${target.host} (${address}):${target.port}`);
				this.destroy(refusal(target.host));
			}
		});
	}
	return originalConnect.apply(this, args);
};
