'use strict';

// Run with the n8n app's Node 24 (its sqlite3 module is built for it):
//   node db-rows.js <n8n app dir> <database.sqlite>
// Prints, as one JSON line, every row of n8n's processed_data table (the deduplication store):
// its workflow, context, the size of its value column in bytes, the mode and the number of
// stored entries; and the size of the database files.

const fs = require('node:fs');
const path = require('node:path');

const [appDir, databaseFile] = process.argv.slice(2);
const sqlite3 = require(require.resolve('sqlite3', { paths: [appDir] }));

function fileSize(file) {
	try {
		return fs.statSync(file).size;
	} catch {
		return 0;
	}
}

const db = new sqlite3.Database(databaseFile, sqlite3.OPEN_READONLY, (openError) => {
	if (openError) throw openError;
	db.all(
		'SELECT "workflowId" AS workflowId, "context" AS context, length(CAST("value" AS BLOB)) AS bytes, "value" AS value, "updatedAt" AS updatedAt FROM "processed_data"',
		(queryError, rows) => {
			if (queryError) throw queryError;
			const out = rows.map(({ value, ...row }) => {
				let entries = null;
				let mode = null;
				try {
					const parsed = JSON.parse(value);
					mode = parsed.mode;
					entries = Array.isArray(parsed.data) ? parsed.data.length : null;
				} catch {
					// Reported as unreadable (entries null).
				}
				return { ...row, mode, entries };
			});
			const files = Object.fromEntries(
				['', '-wal', '-shm'].map((suffix) => [path.basename(databaseFile) + suffix, fileSize(databaseFile + suffix)]),
			);
			process.stdout.write(`${JSON.stringify({ rows: out, files })}\n`);
			db.close();
		},
	);
});
