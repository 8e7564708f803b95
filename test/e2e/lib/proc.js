'use strict';

// Child processes for the e2e runner. Each child gets its own process group, so that a timeout
// or the end of the run stops it together with what it started (n8n starts a task runner).

const { spawn } = require('node:child_process');
const fs = require('node:fs');

const TAIL_CHARS = 4000;
const live = new Set();

function killGroup(child, signal = 'SIGTERM', evenIfExited = false) {
	if (!evenIfExited && (child.exitCode !== null || child.signalCode !== null)) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is gone already.
	}
}

/**
 * Runs a command to completion. Resolves with `{ code, stdout, stderr, ms }`; rejects when it
 * exits non-zero (unless `allowFailure`) or outlives `timeoutMs`, with the output's tail in the
 * message. `logFile` receives the output as well.
 */
function run(command, args, options = {}) {
	const { cwd, env, timeoutMs = 120_000, logFile, allowFailure = false, input } = options;
	return new Promise((resolve, reject) => {
		const startedAt = Date.now();
		const child = spawn(command, args, { cwd, env, detached: true, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
		live.add(child);
		let stdout = '';
		let stderr = '';
		let timedOut = false;
		const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
		if (log) log.write(`\n$ ${command} ${args.join(' ')}\n`);
		child.stdout.on('data', (chunk) => {
			stdout += chunk;
			if (log) log.write(chunk);
		});
		child.stderr.on('data', (chunk) => {
			stderr += chunk;
			if (log) log.write(chunk);
		});
		if (input !== undefined) child.stdin.end(input);
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			live.delete(child);
			if (log) log.end();
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			live.delete(child);
			// The task runner n8n started may outlive it: end the whole group.
			killGroup(child, 'SIGKILL', true);
			if (log) log.end();
			const ms = Date.now() - startedAt;
			const result = { code, signal, stdout, stderr, ms };
			if (timedOut) {
				reject(Object.assign(new Error(`${command} ${args.join(' ')} timed out after ${timeoutMs / 1000} s\n${tail(stdout, stderr)}`), result));
			} else if (code !== 0 && !allowFailure) {
				reject(Object.assign(new Error(`${command} ${args.join(' ')} exited with ${code ?? signal}\n${tail(stdout, stderr)}`), result));
			} else {
				resolve(result);
			}
		});
	});
}

/** Starts a long-running command; returns `{ child, output(), stop() }`. */
function start(command, args, options = {}) {
	const { cwd, env, logFile } = options;
	const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
	live.add(child);
	let output = '';
	const log = logFile ? fs.createWriteStream(logFile, { flags: 'a' }) : null;
	const collect = (chunk) => {
		output += chunk;
		if (log) log.write(chunk);
	};
	child.stdout.on('data', collect);
	child.stderr.on('data', collect);
	const exited = new Promise((resolve) => {
		child.on('close', (code, signal) => {
			live.delete(child);
			if (log) log.end();
			resolve({ code, signal });
		});
		child.on('error', (error) => {
			live.delete(child);
			resolve({ code: null, signal: null, error });
		});
	});
	return {
		child,
		exited,
		output: () => output,
		/** SIGTERM to the group, then SIGKILL if it has not exited within `graceMs`. */
		async stop(graceMs = 20_000) {
			killGroup(child, 'SIGTERM');
			let timer;
			const late = new Promise((resolve) => {
				timer = setTimeout(() => resolve('late'), graceMs);
			});
			const outcome = await Promise.race([exited, late]);
			clearTimeout(timer);
			killGroup(child, 'SIGKILL', true);
			return outcome;
		},
	};
}

/** Ends every child still running (used when the runner stops early). */
function killAll() {
	for (const child of live) killGroup(child, 'SIGKILL');
}

/**
 * Runs a script's `main`, ending every child on Ctrl-C (exit 130) and on a crash (exit 1, after
 * `onCrash`, e.g. a closing tally).
 */
function runMain(main, onCrash = () => undefined) {
	process.on('SIGINT', () => {
		killAll();
		process.exit(130);
	});
	main().catch((error) => {
		killAll();
		console.error(error);
		onCrash();
		process.exit(1);
	});
}

function tail(stdout, stderr) {
	const text = `${stdout}${stderr ? `\n[stderr]\n${stderr}` : ''}`.trim();
	return text.length > TAIL_CHARS ? `…${text.slice(-TAIL_CHARS)}` : text;
}

module.exports = { run, start, killAll, runMain, tail };
