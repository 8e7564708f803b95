'use strict';

// n8n-core 2.41's handleNodeErrorOutput (the node setting On Error: Continue (using error
// output)) takes every item of the node's output off the front of its array, one at a time, with
// Array.prototype.shift. In V8 that is cheap for small arrays but moves the rest of the array
// for large ones, so routing N items costs O(N²). This times the same loop on N items without
// n8n:   node shift-cost.js [N ...]   (prints one JSON line per N)

const { performance } = require('node:perf_hooks');

for (const count of (process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['10000', '100000']).map(Number)) {
	const items = Array.from({ length: count }, (_, index) => ({ json: { origin_id: `C-${index}`, status: 'UNCHANGED' }, pairedItem: { item: index } }));
	const kept = [];
	const startedAt = performance.now();
	const cpuAt = process.cpuUsage();
	while (items.length) kept.push(items.shift());
	const { user, system } = process.cpuUsage(cpuAt);
	process.stdout.write(`${JSON.stringify({ items: count, ms: performance.now() - startedAt, cpuMs: (user + system) / 1000, node: process.version })}\n`);
}
