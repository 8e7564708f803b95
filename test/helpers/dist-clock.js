const path = require('node:path');

/**
 * Puts a fake clock into the built package (the copy of the clock module that n8n's loader
 * requires from dist) and returns a function that puts the real one back.
 * @param {{ now(): number, sleep(ms: number, signal?: AbortSignal): Promise<void>, random(): number, requestTimeoutMs?: number }} fake
 * @returns {() => void}
 */
function installFakeClock(fake) {
	const { clock } = require(path.resolve(__dirname, '../../dist/nodes/Kombo/helpers/clock.js'));
	const original = { ...clock };
	clock.now = fake.now;
	clock.sleep = fake.sleep;
	clock.random = fake.random;
	if (fake.requestTimeoutMs !== undefined) clock.requestTimeoutMs = fake.requestTimeoutMs;
	return () => Object.assign(clock, original);
}

module.exports = { installFakeClock };
