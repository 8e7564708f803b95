'use strict';

// The e2e and UI runners' way of reporting: each assertion prints ✓ or ✗ as it finishes, the
// tally ends with a line "N passed, M failed" of its own.

class Stop extends Error {}

function createChecks({ onFailure } = {}) {
	const tally = { passed: 0, failed: 0, failures: [] };

	/** One assertion: prints ✓ or ✗ and counts it. Returns whether it passed. */
	async function check(name, fn) {
		try {
			const detail = await fn();
			tally.passed++;
			console.log(`  ✓ ${name}${typeof detail === 'string' && detail ? ` (${detail})` : ''}`);
			return true;
		} catch (error) {
			tally.failed++;
			const message = (error && error.message) || String(error);
			tally.failures.push(`${name}: ${message.split('\n')[0]}`);
			console.log(`  ✗ ${name}\n${message.split('\n').slice(0, 40).map((line) => `      ${line}`).join('\n')}`);
			if (onFailure) await Promise.resolve(onFailure(name)).catch(() => undefined);
			return false;
		}
	}

	/** A step the rest depends on: counted like a check, and stops the run when it fails. */
	async function must(name, fn) {
		let value;
		const ok = await check(name, async () => {
			value = await fn();
			return typeof value === 'object' && value !== null && typeof value.detail === 'string' ? value.detail : undefined;
		});
		if (!ok) throw new Stop(name);
		return value;
	}

	/** Counts an error that stopped the runner outside any check. */
	function runnerFailed(error) {
		if (error instanceof Stop) return;
		tally.failed++;
		tally.failures.push(`runner: ${String(error && error.message).split('\n')[0]}`);
		console.log(`  ✗ the runner stopped: ${error && error.stack}`);
	}

	function summary() {
		if (tally.failures.length > 0) console.log(`failed:\n${tally.failures.map((f) => `  - ${f}`).join('\n')}`);
		console.log(`${tally.passed} passed, ${tally.failed} failed`);
	}

	return { tally, check, must, runnerFailed, summary };
}

function section(title) {
	console.log(`\n▸ ${title}`);
}

function note(text) {
	console.log(`    ${text}`);
}

module.exports = { createChecks, section, note, Stop };
