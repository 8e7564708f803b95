'use strict';

// What the node avoids by rewriting its record instead of removing entries from it: the
// in-memory work of n8n's removeProcessed in mode 'entries' (n8n 2.41.1), reproduced without
// n8n. n8n keeps the entries as one array of MD5 hashes (base64) and, for each value to remove,
// looks it up from the start of the array and splices it out: O(removed × stored). The rewrite
// the node does instead (clearAllProcessedItems, then one checkProcessedAndRecord of the
// confirmed fingerprints) is linear; its in-memory part is timed here too, and its real cost in
// n8n is in the bench's table.
//
//   node remove-cost.js [stored:removed[:where] ...]    (prints one JSON line per case)
//
// where: "last" (default) removes the entries recorded last, in the order they were recorded,
// as a run's own fingerprints sit at the end of the array; "first" removes them from the start.

const crypto = require('node:crypto');
const { performance } = require('node:perf_hooks');

const md5 = (value) => crypto.createHash('md5').update(String(value)).digest('base64');
const fingerprint = (index) => `sandbox:demo\tC-${String(index).padStart(7, '0')}\t${crypto.createHash('sha256').update(`course ${index}`).digest('base64url')}`;

const cpuMs = ({ user, system }) => (user + system) / 1000;

function measure(stored, removed, where) {
	const values = Array.from({ length: stored }, (_, index) => fingerprint(index));
	// The array as n8n holds it after reading the row: fresh strings parsed from the JSON text.
	const data = JSON.parse(JSON.stringify(values.map(md5)));
	const toRemove = where === 'first' ? values.slice(0, removed) : values.slice(stored - removed);

	let startedAt = performance.now();
	let cpuAt = process.cpuUsage();
	const hashes = toRemove.map(md5);
	for (const hash of hashes) {
		const index = data.findIndex((entry) => entry === hash);
		if (index !== -1) data.splice(index, 1);
	}
	const removeMs = performance.now() - startedAt;
	const removeCpuMs = cpuMs(process.cpuUsage(cpuAt));
	if (data.length !== stored - removed) throw new Error(`${data.length} entries left, expected ${stored - removed}`);

	// The rewrite: hash the confirmed values and write them as a fresh array (what
	// clearAllProcessedItems + checkProcessedAndRecord do in memory, before the database).
	const kept = where === 'first' ? values.slice(removed) : values.slice(0, stored - removed);
	startedAt = performance.now();
	cpuAt = process.cpuUsage();
	const rewritten = kept.map(md5);
	const text = JSON.stringify({ mode: 'entries', data: rewritten });
	const rewriteMs = performance.now() - startedAt;
	const rewriteCpuMs = cpuMs(process.cpuUsage(cpuAt));
	return { stored, removed, where, removeMs, removeCpuMs, rewriteMs, rewriteCpuMs, rewrittenEntries: rewritten.length, rewrittenBytes: text.length, node: process.version };
}

const cases = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['20000:10000', '101000:1000', '100000:100000:first', '200000:100000'];
for (const spec of cases) {
	const [stored, removed, where = 'last'] = spec.split(':');
	process.stdout.write(`${JSON.stringify(measure(Number(stored), Number(removed), where))}\n`);
}
