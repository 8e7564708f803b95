'use strict';

const os = require('node:os');

/** What the benchmarks ran on, for their reports. */
function machine() {
	const cpus = os.cpus();
	return {
		cpus: cpus.length,
		model: cpus[0]?.model?.trim() ?? 'unknown CPU',
		memoryGiB: Math.round(os.totalmem() / 2 ** 30),
		node: process.version,
		os: `${os.type()} ${os.release()} ${os.arch()}`,
	};
}

module.exports = { machine };
