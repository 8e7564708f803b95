'use strict';

// Runs scripts/sandbox.js as its own process, the way `npm run sandbox` does, for tests of its
// command line. Plain JavaScript: `n8n-node lint` forbids `process` and timers in .ts files.

const { spawn } = require('node:child_process');
const path = require('node:path');

const SCRIPT = path.join(__dirname, '..', '..', 'scripts', 'sandbox.js');

/**
 * Starts the sandbox with `args` and resolves once it prints the URL it listens on (or rejects
 * when it exits first, or after `timeoutMs`).
 * @param {string[]} args
 * @param {{ timeoutMs?: number }} [options]
 * @returns {Promise<{ url: string, port: number, stdout: () => string, stderr: () => string, waitForOutput: (pattern: RegExp, timeoutMs?: number) => Promise<RegExpExecArray>, stop: () => Promise<number | null> }>}
 */
function startSandboxProcess(args, { timeoutMs = 15_000 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [SCRIPT, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		let settled = false;
		/** Waits for stdout to match a pattern, each checked as output arrives. @type {Set<() => void>} */
		const waiters = new Set();
		/** @param {RegExp} pattern @param {number} [waitMs] @returns {Promise<RegExpExecArray>} */
		const waitForOutput = (pattern, waitMs = timeoutMs) =>
			new Promise((found, fail) => {
				const check = () => {
					const match = pattern.exec(stdout);
					if (!match) return;
					waiters.delete(check);
					clearTimeout(limit);
					found(match);
				};
				const limit = setTimeout(() => {
					waiters.delete(check);
					fail(new Error(`the sandbox printed nothing matching ${pattern} within ${waitMs} ms\n${stdout}\n${stderr}`));
				}, waitMs);
				waiters.add(check);
				check();
			});
		const exited = new Promise((done) => child.once('close', (code) => done(code)));
		const stop = async () => {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
			return await exited;
		};
		const timer = setTimeout(() => {
			if (settled) return;
			settled = true;
			child.kill('SIGKILL');
			reject(new Error(`the sandbox printed no URL within ${timeoutMs} ms\n${stdout}\n${stderr}`));
		}, timeoutMs);
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			for (const check of [...waiters]) check();
			const match = /listening on (http:\/\/\S+\/v1)/.exec(stdout);
			if (match && !settled) {
				settled = true;
				clearTimeout(timer);
				resolve({ url: match[1], port: Number(new URL(match[1]).port), stdout: () => stdout, stderr: () => stderr, waitForOutput, stop });
			}
		});
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
		});
		child.once('close', (code) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			reject(Object.assign(new Error(`the sandbox exited with ${code}\n${stdout}\n${stderr}`), { code, stdout, stderr }));
		});
	});
}

module.exports = { startSandboxProcess };
