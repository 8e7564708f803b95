#!/usr/bin/env node
'use strict';

// Prints the mutation score of the last `npm run test:mutation` per folder and over nodes/,
// from the two JSON reports Stryker wrote: the pure modules and the transport against the unit
// tests (stryker.units.config.json), the operations against every test, engine tests included
// (stryker.operations.config.json). Score = detected (killed or timed out) ÷ (detected +
// survived + not covered), as Stryker counts it.

const fs = require('node:fs');
const path = require('node:path');

const REPORTS = ['units', 'operations'].map((name) => path.resolve(__dirname, '..', 'reports', 'mutation', `${name}.json`));
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);

function folderOf(file) {
	const relative = file.split(path.sep).join('/').replace(/^.*?(nodes\/Kombo\/|credentials\/)/, '$1');
	const parts = relative.split('/');
	return parts.length > 3 ? parts.slice(0, 3).join('/') + '/' : relative;
}

const rows = new Map();
const add = (key, status) => {
	const row = rows.get(key) ?? { detected: 0, undetected: 0, survivors: [] };
	if (DETECTED.has(status)) row.detected++;
	if (UNDETECTED.has(status)) row.undetected++;
	rows.set(key, row);
	return row;
};

for (const report of REPORTS) {
	if (!fs.existsSync(report)) {
		console.error(`${path.relative(process.cwd(), report)} is missing: run npm run test:mutation first.`);
		process.exit(1);
	}
	const { files } = JSON.parse(fs.readFileSync(report, 'utf8'));
	for (const [file, { mutants }] of Object.entries(files)) {
		for (const mutant of mutants) {
			const folder = folderOf(file);
			const own = file.split(path.sep).join('/').replace(/^.*?(nodes\/|credentials\/)/, '$1');
			add(folder, mutant.status);
			if (file.includes('nodes/')) add('nodes/ (all)', mutant.status);
			// A file directly in nodes/Kombo/ is its own "folder": count it once.
			if (own !== folder) add(own, mutant.status);
		}
	}
}

const score = (row) => (row.detected + row.undetected === 0 ? 'n/a' : `${((100 * row.detected) / (row.detected + row.undetected)).toFixed(1)} %`);
const keys = [...rows.keys()].sort((a, b) => (a === 'nodes/ (all)' ? 1 : b === 'nodes/ (all)' ? -1 : a.localeCompare(b)));
console.log('| scope | detected | undetected | score |\n| --- | ---: | ---: | ---: |');
for (const key of keys) {
	const row = rows.get(key);
	console.log(`| ${key} | ${row.detected} | ${row.undetected} | ${score(row)} |`);
}

// The project's targets: a run that misses one fails, so that `npm run test:mutation` is green
// only while the tests notice at least this share of deleted or changed rules.
const TARGETS = [
	['nodes/Kombo/helpers/', 90],
	['nodes/Kombo/transport/', 90],
	['nodes/ (all)', 80],
];
const missed = [];
console.log('\n| target | needed | measured |\n| --- | ---: | ---: |');
for (const [key, needed] of TARGETS) {
	const row = rows.get(key);
	const measured = row && row.detected + row.undetected > 0 ? (100 * row.detected) / (row.detected + row.undetected) : 0;
	console.log(`| ${key} | ${needed} % | ${row ? score(row) : 'not run'} |`);
	if (measured < needed) missed.push(key);
}
if (missed.length > 0) {
	console.error(`\nMutation score below target for ${missed.join(', ')}.`);
	process.exit(1);
}
