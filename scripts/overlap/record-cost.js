'use strict';

// The node's own work on the record of Skip Unchanged Courses, without n8n: reading it
// (fingerprinting every course and looking each up) and writing it back, at N courses, from the
// built package. Prints one JSON line per size: the median of 5 repeats, wall and CPU, in ms.
//   node scripts/overlap/record-cost.js 10000 100000

const path = require('node:path');

const { openRecord, closeRecord } = require(path.join(__dirname, '..', '..', 'dist', 'nodes', 'Kombo', 'engine', 'unchanged.js'));
const { courseFingerprint } = require(path.join(__dirname, '..', '..', 'dist', 'nodes', 'Kombo', 'helpers', 'fingerprint.js'));

const REPEATS = 5;

function entriesOf(count, edition) {
	return Array.from({ length: count }, (_, index) => {
		const edited = edition > 1 && index % 100 === 0;
		const title = `Course ${index}${edited ? ` (edition ${edition})` : ''}`;
		return { itemIndex: index, integrationId: 'sandbox:demo', originId: `C-${index}`, value: { origin_id: `C-${index}`, course: { type: 'EXTERNAL', title, course_url: `https://academy.example/courses/${index}` } } };
	});
}

const cpuMs = () => {
	const used = process.cpuUsage();
	return (used.user + used.system) / 1000;
};

function timed(fn) {
	const wallStart = process.hrtime.bigint();
	const cpuStart = cpuMs();
	fn();
	return { ms: Number(process.hrtime.bigint() - wallStart) / 1e6, cpuMs: cpuMs() - cpuStart };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const count of process.argv.slice(2).map(Number)) {
	const first = entriesOf(count, 1);
	const edited = entriesOf(count, 2);
	const samples = { fingerprints: [], openEmpty: [], closeAll: [], openFull: [], closeNothingSent: [], openEdited: [], closeEdited: [], serialise: [] };
	for (let repeat = 0; repeat < REPEATS; repeat++) {
		const staticData = {};
		let record;
		samples.fingerprints.push(timed(() => first.forEach((entry) => courseFingerprint(entry.integrationId, entry.value))));
		samples.openEmpty.push(timed(() => (record = openRecord(staticData, first, false))));
		samples.closeAll.push(timed(() => closeRecord(record, () => true)));
		samples.openFull.push(timed(() => (record = openRecord(staticData, first, false))));
		samples.closeNothingSent.push(timed(() => closeRecord(record, () => true)));
		samples.openEdited.push(timed(() => (record = openRecord(staticData, edited, false))));
		samples.closeEdited.push(timed(() => closeRecord(record, () => true)));
		samples.serialise.push(timed(() => JSON.stringify(staticData)));
	}
	const out = { count };
	for (const [key, list] of Object.entries(samples)) out[key] = { ms: median(list.map((s) => s.ms)), cpuMs: median(list.map((s) => s.cpuMs)) };
	process.stdout.write(`${JSON.stringify(out)}\n`);
}
