'use strict';

// Run with the n8n app's Node 24 (its sqlite3 module is built for it):
//   node static-data-size.js <n8n app dir> <database.sqlite> <workflow id> [<execution id>]
// Prints, as one JSON line, the size in bytes of the workflow's staticData column and, given an
// execution, the size of the workflow n8n saved with that execution and of its run data.

const [appDir, databaseFile, workflowId, executionId] = process.argv.slice(2);
const sqlite3 = require(require.resolve('sqlite3', { paths: [appDir] }));

const db = new sqlite3.Database(databaseFile, sqlite3.OPEN_READONLY, (openError) => {
	if (openError) throw openError;
	db.get('SELECT length(CAST("staticData" AS BLOB)) AS bytes FROM "workflow_entity" WHERE "id" = ?', [workflowId], (queryError, row) => {
		if (queryError) throw queryError;
		const out = { bytes: row?.bytes ?? 0 };
		if (!executionId) {
			process.stdout.write(`${JSON.stringify(out)}\n`);
			db.close();
			return;
		}
		db.get(
			'SELECT length(CAST("workflowData" AS BLOB)) AS workflowBytes, length(CAST("data" AS BLOB)) AS dataBytes FROM "execution_data" WHERE "executionId" = ?',
			[executionId],
			(executionError, execution) => {
				if (executionError) throw executionError;
				process.stdout.write(`${JSON.stringify({ ...out, executionWorkflowBytes: execution?.workflowBytes ?? 0, executionDataBytes: execution?.dataBytes ?? 0 })}\n`);
				db.close();
			},
		);
	});
});
