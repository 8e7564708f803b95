#!/usr/bin/env node
'use strict';

// Drops the survived and uncovered mutants from Stryker's incremental files, so that the next
// `npm run test:mutation` tries them again while it reuses every detected one. Stryker's jest
// runner reports no test locations, so its incremental mode notices a new test but not a test
// whose body changed: a survivor that an edited test now kills would otherwise stay "Survived".
// Usage: node scripts/mutation-retry-undetected.js [units|operations ...]

const fs = require('node:fs');
const path = require('node:path');

const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['units', 'operations'];
for (const name of names) {
	const file = path.resolve(__dirname, '..', 'test', 'stryker', 'incremental', `${name}.json`);
	if (!fs.existsSync(file)) continue;
	const report = JSON.parse(fs.readFileSync(file, 'utf8'));
	let dropped = 0;
	for (const entry of Object.values(report.files)) {
		const kept = entry.mutants.filter((mutant) => mutant.status !== 'Survived' && mutant.status !== 'NoCoverage');
		dropped += entry.mutants.length - kept.length;
		entry.mutants = kept;
	}
	fs.writeFileSync(file, JSON.stringify(report));
	console.log(`${path.relative(process.cwd(), file)}: ${dropped} undetected mutants will be tried again`);
}
