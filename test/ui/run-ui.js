#!/usr/bin/env node
'use strict';

// npm run test:ui: what a builder sees of the Kombo node in the real n8n editor (2.41.1), in
// Debian's Chromium driven by playwright-core, against the Kombo sandbox. Runs after
// `npm run test:e2e` in CI and reuses its cached n8n install (test/e2e/lib).
//
//  1. The packed package installed into the cached n8n app, the sandbox and `n8n start` on free
//     ports of 127.0.0.1, the owner set up with POST /rest/owner/setup.
//  2. In the browser: sign in through the form; the node picker finds the node; the spreadsheet
//     example imported from a file; a credential made from the node, tested with a wrong and a
//     right key; the Create or Update panel with the Courses mapper and the notice above it; a
//     run with items on the success and the error branch; a run that stops at an invalid row;
//     the task-status operation's panel; the Course Progression → Complete and User → Get Many
//     panels (chosen in the editor: their fields, Options and Filters); Skip Unchanged Courses run
//     from the editor (the record used, the output pane's word that n8n keeps nothing of such a
//     run) and a save in the editor, which must not send the static data back over a record
//     written meanwhile; the completion write-back example imported from a file; the
//     completions-to-CRM example imported from a file, and its Kombo Trigger's panel (the Test and
//     Production URL, the setup notice, Events, Options).
//  3. Nothing left 127.0.0.1: the browser's requests elsewhere are aborted and counted, and n8n
//     runs with test/e2e/lib/network-guard.js.
//
// Env: KOMBO_E2E_CACHE (the n8n install's cache folder), KOMBO_UI_KEEP=1 (keep the work folder),
// KOMBO_UI_CHROMIUM (default /usr/bin/chromium).

// ---------------------------------------------------------------------------------------------
// What a builder should see. When the node's texts change, update this block (and only this).
const EXPECTED = {
	/** The node's display name, as typed into the node picker and shown there. */
	nodeDisplayName: 'Kombo',
	nodeDescription: /learning management systems/i,
	/**
	 * The operations by internal value. Their labels are not written here: the test reads them
	 * from the node type n8n serves (GET /types/nodes.json), so a renamed operation needs no edit.
	 */
	operations: { upsert: 'upsert', taskStatus: 'getUpsertTask' },
	/** The Courses mapper's fields in order: key → label. */
	courseFields: {
		origin_id: 'Origin ID',
		title: 'Title',
		course_url: 'Course URL',
		description: 'Description',
		thumbnail_url: 'Thumbnail URL',
		duration: 'Duration (Minutes)',
		languages: 'Languages',
	},
	/** The notice directly above the Courses mapper must contain this (its wording will change). */
	mapperNotice: /Origin ID: your own stable ID for a course. Keep it the same from run to run/,
	/** Parameters (by name) the task-status operation's panel shows. */
	taskStatusParameters: ['taskId', 'waitForCompletion'],
	/** Resources by internal value; like the operations', their labels come from the node type n8n serves. */
	resources: { courseProgression: 'courseProgression', user: 'user' },
	/**
	 * Course Progression → Complete: the parameters its panel shows, in this order (name → label),
	 * what its Options collection offers, and what Identify By = Course Progression ID shows instead
	 * of the learner and the course.
	 */
	completePanel: {
		operation: 'complete',
		parameters: {
			progressionBy: 'Identify By',
			learnerBy: 'Learner',
			learnerEmail: 'Learner Email',
			courseBy: 'Course',
			courseOriginId: 'Course Origin ID',
			completedAt: 'Completed At',
			score: 'Score',
			options: 'Options',
		},
		options: { enrollIfNeeded: 'Enroll If Needed', integrationId: 'Integration ID' },
		byProgressionId: { value: 'progressionId', parameter: 'progressionId', label: 'Course Progression ID' },
	},
	/** User → Get Many: the parameters its panel shows, in order, the filters Filters offers, and the Work Emails filter. */
	userGetManyPanel: {
		operation: 'getAll',
		parameters: { returnAll: 'Return All', limit: 'Limit', filters: 'Filters', simplify: 'Simplify', options: 'Options' },
		filters: ['IDs', 'Include Deleted', 'Remote IDs', 'Updated After', 'Work Emails'],
		workEmails: { name: 'workEmails', label: 'Work Emails', placeholder: /ada@example\.com/ },
	},
	/** examples/completion-write-back.json in the editor: its Kombo node, the outputs that node shows, its sticky note. */
	writeBack: {
		komboNode: 'Write Back Completion',
		outputs: ['Success', 'Error'],
		stickyNote: /Completions from your platform, written back to the LMS/,
		learnerEmail: '{{ $json.body.email }}',
		courseOriginId: '{{ $json.body.course }}',
	},
	/**
	 * examples/completions-to-crm.json's Kombo Trigger: the Webhook URLs section n8n shows for its
	 * webhook (Test and Production URL: the node's webhookId, then `path`), the setup notice,
	 * Events and Options.
	 */
	trigger: {
		node: 'Kombo Trigger',
		webhookUrls: 'Webhook URLs',
		urlKinds: { test: { label: 'Test URL', prefix: 'webhook-test' }, production: { label: 'Production URL', prefix: 'webhook' } },
		path: 'webhook',
		httpMethod: 'POST',
		setupNotice: /paste this node’s URL/,
		events: {
			label: 'Events',
			chosen: ['Data Changed'],
			offered: ['Any Event', 'Connection Flow Failed', 'Data Changed', 'Integration Created', 'Integration Deleted', 'Integration State Changed', 'Sync Finished'],
		},
		changedModels: { label: 'Changed Models', chosen: ['Course Progressions'] },
		integrationIds: { label: 'Integration IDs', placeholder: /workday:/ },
	},
	/** The credential: its fields by property name, and the label of the "custom" region. */
	credential: { apiKey: 'apiKey', integrationId: 'integrationId', region: 'region', baseUrl: 'baseUrl', customRegionLabel: 'Custom' },
	/** What the credential test says about a rejected key (the credential's 401 rule). */
	wrongKeyMessage: /Kombo rejected the API key/,
	/**
	 * An invalid item's error: this prefix, the field (by its key, 'title', or its label, Title),
	 * and the item's index at the end, "[item 10]". The description says how to fix it.
	 */
	invalidPrefix: 'Invalid course:',
	/** The description of a run stopped by invalid items also says this. */
	nothingSent: /nothing was sent to Kombo/i,
	/**
	 * The spreadsheet example against the sandbox (which rejects CRS-017): 20 rows, 3 of them
	 * invalid; without the error output the run stops at the first, item 10 (CRS-011).
	 */
	example: {
		rows: 20,
		succeeded: 16,
		errorBranch: 4,
		invalid: { 'CRS-011': 'title', 'CRS-012': 'course_url', 'CRS-013': 'languages' },
		rejectedByKombo: 'CRS-017',
		firstInvalid: { item: 10, field: 'title' },
	},
	/** What the output pane says after a run from the editor with Skip Unchanged Courses on. */
	editorRunHint: /this run was started from the editor, and n8n does not save what such a run learns/,
	/** n8n's labels of the output branch tabs of a node with an error output. */
	branches: { success: 'Success Branch', error: 'Error Branch' },
};
// ---------------------------------------------------------------------------------------------

const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { createChecks, section, note } = require('../e2e/lib/checks');
const { run } = require('../e2e/lib/proc');
const stack = require('./lib/stack');
const ui = require('./lib/editor');

const EXAMPLE = path.join(stack.REPO, 'examples', 'spreadsheet-to-lms.json');
const WRITE_BACK_EXAMPLE = path.join(stack.REPO, 'examples', 'completion-write-back.json');
const CRM_EXAMPLE = path.join(stack.REPO, 'examples', 'completions-to-crm.json');
const KOMBO_NODE = 'Create or Update Courses';
const SKIP_NODE = 'Kombo';
const NODE_TYPE = 'n8n-nodes-kombo.kombo';
const INTEGRATION_ID = 'sandbox:demo';
const KOMBO_REJECTS = { code: 'LMS.COURSE_UPDATE_NOT_SUPPORTED', message: 'This LMS cannot update an existing course.' };

let page;
let work;
let shots = 0;
const { tally, check, must, runnerFailed, summary } = createChecks({
	// A picture of the editor at the moment a check failed, kept with the work folder.
	onFailure: async (name) => {
		if (!page) return;
		const file = path.join(work, `failed-${String(++shots).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`);
		await page.screenshot({ path: file });
		console.log(`      screenshot: ${file}`);
	},
});

function readJson(file) {
	return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** A field named in a message: by its key or by its label, quoted or not. */
function fieldNamed(key) {
	return new RegExp(`(^|\\W)'?(${key}|${ui.escapeRegExp(EXPECTED.courseFields[key])})'?(\\W|$)`);
}

/** "Invalid course: <field> … [item N]" for an invalid item. */
function invalidMessage(key, item = '\\d+') {
	const field = `'?(${key}|${ui.escapeRegExp(EXPECTED.courseFields[key])})'?`;
	return new RegExp(`^${ui.escapeRegExp(EXPECTED.invalidPrefix)} ${field}\\b.*\\[item ${item}\\]$`);
}

/** The example with the Kombo node's error output turned off, as a second file to import. */
function stopOnErrorVariant(dir) {
	const workflow = readJson(EXAMPLE);
	workflow.name = `${workflow.name} (stops at an invalid row)`;
	const node = workflow.nodes.find((n) => n.name === KOMBO_NODE);
	delete node.onError;
	workflow.connections[KOMBO_NODE].main = workflow.connections[KOMBO_NODE].main.slice(0, 1);
	workflow.nodes = workflow.nodes.filter((n) => n.name !== 'Failed courses');
	const file = path.join(dir, 'spreadsheet-to-lms-stop-on-error.json');
	fs.writeFileSync(file, JSON.stringify(workflow, null, 2));
	return file;
}

/**
 * A workflow for Skip Unchanged Courses from the editor: Manual Trigger → two course rows → the
 * Kombo node (Map Automatically, Wait for Completion, Skip Unchanged Courses).
 */
function skipWorkflow(credential, rows) {
	return {
		name: 'Skip Unchanged Courses from the editor',
		settings: { executionOrder: 'v1' },
		nodes: [
			{ id: 'e0000000-0000-4000-8000-000000000001', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'e0000000-0000-4000-8000-000000000002',
				name: 'Course rows',
				type: 'n8n-nodes-base.code',
				typeVersion: 2,
				position: [220, 0],
				parameters: { mode: 'runOnceForAllItems', language: 'javaScript', jsCode: `return ${JSON.stringify(rows.map((json) => ({ json })))};` },
			},
			{
				id: 'e0000000-0000-4000-8000-000000000003',
				name: SKIP_NODE,
				type: NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				credentials: { komboApi: credential },
				parameters: {
					resource: 'course',
					operation: 'upsert',
					columns: { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] },
					waitForCompletion: true,
					options: { skipUnchanged: true },
				},
			},
		],
		connections: {
			Start: { main: [[{ node: 'Course rows', type: 'main', index: 0 }]] },
			'Course rows': { main: [[{ node: SKIP_NODE, type: 'main', index: 0 }]] },
		},
	};
}

/** Writes a workflow's static data straight into n8n's SQLite database, as n8n does when a production execution ends. */
async function writeStaticData(prepared, workflowId, staticData) {
	const code = [
		"const sqlite3 = require(require.resolve('sqlite3', { paths: [process.argv[1]] }));",
		'const db = new sqlite3.Database(process.argv[2]);',
		"db.run('UPDATE workflow_entity SET \"staticData\" = ? WHERE id = ?', [process.argv[3], process.argv[4]], function (error) { if (error) throw error; if (this.changes !== 1) throw new Error('no such workflow'); db.close(); });",
	].join('\n');
	const database = path.join(prepared.userFolder, '.n8n', 'database.sqlite');
	await run(prepared.app.nodeBin, ['-e', code, prepared.app.appDir, database, JSON.stringify(staticData), workflowId], { timeoutMs: 30_000 });
}

async function main() {
	const startedAt = Date.now();
	const keep = process.env.KOMBO_UI_KEEP === '1';
	work = fs.mkdtempSync(path.join(os.tmpdir(), 'kombo-ui-'));
	let env;
	let browser;
	let ok = false;
	let setupMs = 0;
	console.log(`n8n-nodes-kombo UI test: the node in the real n8n editor, in Chromium (work folder ${work})`);
	try {
		// 1. -------------------------------------------------------------------------------------
		section('n8n with the packed package, the sandbox, Chromium');
		const prepared = await must('the packed package installed into the cached n8n app', async () => {
			const result = await stack.prepareN8n({ work, log: note });
			return { ...result, detail: `n8n ${result.app.n8n}` };
		});
		env = await must('the sandbox and n8n start on 127.0.0.1, owner set up by POST /rest/owner/setup', async () => {
			const result = await stack.startStack({ work, ...prepared, stubOptions: { failOriginIds: { [EXPECTED.example.rejectedByKombo]: KOMBO_REJECTS } }, log: note });
			return { ...result, detail: result.baseUrl };
		});
		const { stub, baseUrl } = env;
		const nodeTypes = await env.server.get('/types/nodes.json');
		const komboType = nodeTypes.json?.find((type) => type.name === NODE_TYPE);
		const operationLabel = (value) => {
			const option = komboType?.properties.find((p) => p.name === 'operation')?.options.find((o) => o.value === value);
			assert.ok(option, `n8n serves no operation "${value}" for ${NODE_TYPE}`);
			return option.name;
		};
		/** The label of an option of the node type n8n serves: a resource, or an operation of a resource. */
		const optionLabel = (property, value, resource) => {
			const option = komboType?.properties
				.filter((p) => p.name === property && (resource === undefined || p.displayOptions?.show?.resource?.includes(resource)))
				.flatMap((p) => p.options ?? [])
				.find((o) => o.value === value);
			assert.ok(option, `n8n serves no ${property} "${value}"${resource ? ` for the resource ${resource}` : ''} of ${NODE_TYPE}`);
			return option.name;
		};
		/** Checks that the open panel shows these parameters with these labels, in this order. */
		const assertShownInOrder = async (expected) => {
			const shown = await ui.shownParameters(page);
			const listing = shown.map((p) => `${p.name}=${p.label}`).join(', ');
			const wanted = Object.entries(expected);
			assert.deepEqual(
				wanted.map(([name]) => shown.find((p) => p.name === name)?.label ?? null),
				wanted.map(([, label]) => label),
				`shown: ${listing}`,
			);
			const positions = wanted.map(([name]) => shown.findIndex((p) => p.name === name));
			assert.deepEqual([...positions].sort((a, b) => a - b), positions, `out of order: ${listing}`);
			return shown;
		};
		browser = await must('Chromium (Debian) through playwright-core, with a fresh profile', async () => {
			const launched = await stack.launchBrowser({ work });
			return { ...launched, detail: `${launched.context.browser()?.version() ?? 'persistent context'}` };
		});
		page = browser.page;
		setupMs = Date.now() - startedAt;

		// 2. -------------------------------------------------------------------------------------
		section('the editor');
		const $ = ui.ids(page);
		await must('signs in through the form as the owner', async () => {
			await ui.signIn(page, baseUrl);
			return new URL(page.url()).pathname;
		});

		await check(`the node picker finds the node by its display name "${EXPECTED.nodeDisplayName}"`, async () => {
			await ui.newWorkflow(page, baseUrl);
			const item = await ui.searchNodePicker(page, EXPECTED.nodeDisplayName, EXPECTED.nodeDisplayName);
			assert.equal(await item.count(), 1, 'more than one result of that name');
			const text = await item.innerText();
			// n8n merges a node and its "<name>Trigger" into one entry, which it describes with the trigger's description.
			const trigger = nodeTypes.json?.find((type) => type.name === `${NODE_TYPE}Trigger`);
			if (trigger) assert.ok(text.includes(trigger.description), `the result reads: ${text}; the trigger's description: ${trigger.description}`);
			else assert.match(text, EXPECTED.nodeDescription, `the result reads: ${text}`);
			await page.keyboard.press('Escape');
			await page.getByTestId('node-creator').waitFor({ state: 'hidden' });
			return text.split('\n').filter(Boolean).join(' — ');
		});

		const example = readJson(EXAMPLE);
		await must('examples/spreadsheet-to-lms.json imports from the workflow menu (Import → From file)', async () => {
			await ui.importWorkflowFile(page, EXAMPLE);
			for (const node of example.nodes) await $.canvasNode(node.name).waitFor();
			return `${example.nodes.length} nodes on the canvas`;
		});

		await must(`the "${KOMBO_NODE}" node opens, asking for a credential`, async () => {
			await ui.openNode(page, KOMBO_NODE);
			await $.byId('node-credentials-empty-state').click();
			await $.credentialModal.waitFor();
		});

		const c = EXPECTED.credential;
		// Region and base URL first: saved with the default region, n8n would test the key
		// against Kombo's real API.
		await must('the credential points at the sandbox: region Custom, its base URL and integration', async () => {
			await ui.renameCredential(page, 'Kombo sandbox');
			await ui.fillCredential(page, { [c.region]: c.customRegionLabel }, { selectFields: [c.region] });
			await ui.fillCredential(page, { [c.baseUrl]: stub.url, [c.integrationId]: INTEGRATION_ID, [c.apiKey]: 'ks_dev_not_the_sandbox_key' });
			const region = await $.parameterInput(c.region, $.credentialModal).locator('input').inputValue();
			assert.equal(region.trim(), c.customRegionLabel);
			assert.equal(await $.parameterInput(c.baseUrl, $.credentialModal).locator('input').inputValue(), stub.url);
		});

		await check('the credential test fails with a wrong API key, and says why', async () => {
			const before = stub.requests.length;
			const result = await ui.saveCredential(page);
			assert.equal(result.ok, false, `the test passed: ${result.message}`);
			assert.match(result.message, EXPECTED.wrongKeyMessage);
			const seen = stub.requests.slice(before);
			assert.ok(seen.some((r) => r.route === '/check-api-key' && r.status === 401), `the sandbox saw: ${seen.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`);
			return result.message.split('\n').filter((line) => EXPECTED.wrongKeyMessage.test(line))[0];
		});

		await must('the credential test passes with the sandbox key', async () => {
			await ui.fillCredential(page, { [c.apiKey]: stub.apiKey });
			const before = stub.requests.length;
			const result = await ui.saveCredential(page);
			assert.equal(result.ok, true, result.message);
			const seen = stub.requests.slice(before);
			assert.ok(seen.some((r) => r.route === '/check-api-key' && r.status === 200), `the sandbox saw: ${seen.map((r) => `${r.method} ${r.path} ${r.status}`).join(', ')}`);
			// Reopened, the credential is tested again and says so.
			if (await $.credentialModal.isVisible()) await ui.closeCredentialModal(page);
			await $.byId('credential-edit-button').click();
			const success = $.credentialModal.getByTestId('credentials-config-container-test-success');
			await success.waitFor();
			const text = (await success.innerText()).trim();
			await ui.closeCredentialModal(page);
			return text;
		});

		const upsertLabel = operationLabel(EXPECTED.operations.upsert);
		await check(`the ${upsertLabel} panel shows the Courses mapper with every field's label`, async () => {
			const operation = $.parameterInput('operation', $.parameters);
			await operation.waitFor();
			assert.equal((await operation.locator('input').inputValue()).trim(), upsertLabel);
			await $.mapperFields.waitFor();
			// Each field's label: the first text of its <label class="n8n-input-label"> (the rest is
			// the Fixed/Expression switch).
			const shown = await $.mapperFields.evaluate((root) =>
				[...root.querySelectorAll('label.n8n-input-label')].map((label) => (label.querySelector('.n8n-text') ?? label).textContent.trim()).filter(Boolean),
			);
			const labels = Object.values(EXPECTED.courseFields);
			const missing = labels.filter((label) => !shown.includes(label));
			assert.deepEqual(missing, [], `labels shown: ${[...new Set(shown)].join(', ')}`);
			const order = labels.map((label) => shown.indexOf(label));
			assert.deepEqual([...order].sort((a, b) => a - b), order, `out of order: ${shown.join(', ')}`);
			return labels.join(', ');
		});

		await check('a notice is shown directly above the Courses mapper', async () => {
			const found = await $.parameters.evaluate((root) => {
				const mapper = root.querySelector('[data-test-id="resource-mapper-container"]');
				if (!mapper) return { error: 'no resource mapper in the panel' };
				const items = [...root.querySelectorAll(':scope [data-test-id="parameter-item"]')].filter((item) => item.offsetParent !== null);
				const mapperItem = items.find((item) => item.contains(mapper));
				const before = items.slice(0, items.indexOf(mapperItem)).filter((item) => !item.contains(mapperItem));
				const previous = before[before.length - 1];
				const notice = previous?.querySelector('.notice[role="alert"]') ?? (previous?.matches('.notice') ? previous : null);
				if (!notice) return { error: `the parameter above the mapper is not a notice: ${previous ? previous.innerText.slice(0, 200) : 'none'}` };
				const above = notice.getBoundingClientRect().bottom <= mapper.getBoundingClientRect().top + 1;
				return { text: notice.innerText.trim(), above };
			});
			assert.ok(!found.error, found.error);
			assert.ok(found.above, 'the notice is not above the mapper on screen');
			assert.match(found.text, EXPECTED.mapperNotice);
			return `"${found.text.slice(0, 80)}${found.text.length > 80 ? '…' : ''}"`;
		});

		await ui.closeNdv(page);

		// 3. -------------------------------------------------------------------------------------
		section('runs from the editor');
		const ex = EXPECTED.example;
		stub.reset({ failOriginIds: { [ex.rejectedByKombo]: KOMBO_REJECTS } });
		await check(`executing the example: ${ex.succeeded} items on the success branch, ${ex.errorBranch} on the error branch`, async () => {
			const toast = await ui.executeWorkflow(page);
			assert.match(toast, /executed successfully/, toast);
			const synced = (await $.edgeLabel(KOMBO_NODE, 'Synced courses').innerText()).trim();
			const failed = (await $.edgeLabel(KOMBO_NODE, 'Failed courses').innerText()).trim();
			assert.match(synced, new RegExp(`^${ex.succeeded} items?$`), `canvas, success branch: ${synced}`);
			assert.match(failed, new RegExp(`^${ex.errorBranch} items?$`), `canvas, error branch: ${failed}`);
			await ui.openNode(page, KOMBO_NODE);
			const successTab = await ui.selectOutputBranch(page, EXPECTED.branches.success);
			assert.match(successTab, new RegExp(`\\(${ex.succeeded} items?\\)`), successTab);
			const rows = await ui.outputTable(page);
			assert.equal(rows.length, ex.succeeded, `${rows.length} rows in the success table`);
			assert.ok(rows.every((row) => row.status === 'SUCCEEDED' && /^course_/.test(row.course_id)), `rows: ${JSON.stringify(rows.slice(0, 2))}`);
			return `canvas: ${synced} / ${failed}; output panel: ${successTab}`;
		});

		await check('the error branch holds the invalid rows, each naming its field, and the course Kombo rejected', async () => {
			const errorTab = await ui.selectOutputBranch(page, EXPECTED.branches.error);
			assert.match(errorTab, new RegExp(`\\(${ex.errorBranch} items?\\)`), errorTab);
			const rows = await ui.outputTable(page);
			const byOrigin = Object.fromEntries(rows.map((row) => [row['Course ID'].trim(), row]));
			assert.deepEqual(Object.keys(byOrigin).sort(), [...Object.keys(ex.invalid), ex.rejectedByKombo].sort());
			for (const [origin, field] of Object.entries(ex.invalid)) {
				assert.match(byOrigin[origin].error, invalidMessage(field), `${origin}: ${byOrigin[origin].error}`);
				assert.match(byOrigin[origin].details, new RegExp(`field\\s*:\\s*(${field}|${ui.escapeRegExp(EXPECTED.courseFields[field])})\\b`), `${origin} details: ${byOrigin[origin].details}`);
			}
			assert.equal(byOrigin[ex.rejectedByKombo].error, KOMBO_REJECTS.message);
			return errorTab;
		});
		await ui.closeNdv(page);
		await check('the sandbox received the valid courses in one POST, and no request broke its contract', async () => {
			const posts = stub.posts();
			assert.equal(posts.length, 1, `${posts.length} POSTs`);
			assert.equal(posts[0].body.items.length, ex.rows - Object.keys(ex.invalid).length);
			assert.deepEqual(stub.violations, []);
		});

		const { firstInvalid } = ex;
		await check(`a run without the error output stops at the invalid item ${firstInvalid.item}, and the node's output panel says which field`, async () => {
			await ui.newWorkflow(page, baseUrl);
			await ui.importWorkflowFile(page, stopOnErrorVariant(work));
			await $.canvasNode(KOMBO_NODE).waitFor();
			stub.reset();
			const toast = await ui.executeWorkflow(page);
			assert.match(toast, new RegExp(`Problem in node .${ui.escapeRegExp(KOMBO_NODE)}.`), toast);
			await ui.openNode(page, KOMBO_NODE);
			const message = $.output.getByTestId('node-error-message');
			await message.waitFor();
			const headline = (await message.innerText()).trim();
			const description = (await $.output.getByTestId('node-error-description').innerText()).trim();
			assert.match(headline, invalidMessage(firstInvalid.field, firstInvalid.item));
			assert.match(description, fieldNamed(firstInvalid.field), description);
			assert.match(description, EXPECTED.nothingSent, description);
			assert.equal(stub.posts().length, 0, 'a course was sent');
			return headline;
		});

		const taskLabel = operationLabel(EXPECTED.operations.taskStatus);
		await check(`the ${taskLabel} panel (${EXPECTED.operations.taskStatus}) shows its parameters`, async () => {
			if (!(await $.ndv.isVisible())) await ui.openNode(page, KOMBO_NODE);
			const operation = $.parameterInput('operation', $.parameters);
			const offered = await ui.optionLabels(page, operation);
			assert.ok(offered.includes(upsertLabel) && offered.includes(taskLabel), `offered: ${offered.join(', ')}`);
			await ui.selectOption(page, operation, taskLabel);
			for (const name of EXPECTED.taskStatusParameters) await $.parameterInput(name, $.parameters).waitFor();
			assert.equal(await $.mapper.count(), 0, 'the Courses mapper is still shown');
			return `Operation offers: ${offered.join(', ')}`;
		});

		const cp = EXPECTED.completePanel;
		const cpLabel = optionLabel('resource', EXPECTED.resources.courseProgression);
		const completeLabel = optionLabel('operation', cp.operation, EXPECTED.resources.courseProgression);
		await check(`choosing Resource ${cpLabel} opens ${completeLabel}: ${Object.values(cp.parameters).join(', ')}, and Options offers ${cp.options.enrollIfNeeded}, on once added`, async () => {
			if (!(await $.ndv.isVisible())) await ui.openNode(page, KOMBO_NODE);
			await ui.selectOption(page, $.parameterInput('resource', $.parameters), cpLabel);
			await $.parameterInput('progressionBy', $.parameters).waitFor();
			assert.equal((await $.parameterInput('operation', $.parameters).locator('input').inputValue()).trim(), completeLabel);
			await assertShownInOrder(cp.parameters);
			assert.equal(await $.mapper.count(), 0, 'the Courses mapper is still shown');
			const offered = await ui.collectionOptions(page, 'options');
			assert.deepEqual(offered, Object.values(cp.options));
			await ui.addCollectionOption(page, cp.options.enrollIfNeeded);
			assert.equal(await ui.switchIsOn(page, 'enrollIfNeeded'), true, `${cp.options.enrollIfNeeded} is off when added`);
			return `Options offers ${offered.join(', ')}`;
		});

		const byId = cp.byProgressionId;
		await check(`Identify By "${byId.label}" replaces the learner and course fields with ${byId.label}`, async () => {
			const identifyBy = $.parameterInput('progressionBy', $.parameters);
			const offered = await ui.optionLabels(page, identifyBy);
			await ui.selectOption(page, identifyBy, byId.label);
			await $.parameterInput(byId.parameter, $.parameters).waitFor();
			const shown = await ui.shownParameters(page);
			assert.equal(shown.find((p) => p.name === byId.parameter)?.label, byId.label);
			for (const name of ['learnerBy', 'learnerEmail', 'courseBy', 'courseOriginId']) assert.ok(!shown.some((p) => p.name === name), `${name} is still shown`);
			for (const name of ['completedAt', 'score', 'options']) assert.ok(shown.some((p) => p.name === name), `${name} is gone`);
			return `Identify By offers: ${offered.join(', ')}`;
		});

		const users = EXPECTED.userGetManyPanel;
		const userLabel = optionLabel('resource', EXPECTED.resources.user);
		const userGetManyLabel = optionLabel('operation', users.operation, EXPECTED.resources.user);
		await check(`choosing Resource ${userLabel} opens ${userGetManyLabel}: ${Object.values(users.parameters).join(', ')}; Filters offers ${users.workEmails.label}, and Return All hides Limit`, async () => {
			await ui.selectOption(page, $.parameterInput('resource', $.parameters), userLabel);
			await $.parameterInput('returnAll', $.parameters).waitFor();
			assert.equal((await $.parameterInput('operation', $.parameters).locator('input').inputValue()).trim(), userGetManyLabel);
			await assertShownInOrder(users.parameters);
			const filters = await ui.collectionOptions(page, 'filters');
			assert.deepEqual(filters, users.filters);
			await ui.addCollectionOption(page, users.workEmails.label);
			const workEmails = $.parameterInput(users.workEmails.name, $.parameters);
			await workEmails.waitFor();
			assert.equal((await ui.shownParameters(page)).find((p) => p.name === users.workEmails.name)?.label, users.workEmails.label);
			assert.match(String(await workEmails.locator('input, textarea').first().getAttribute('placeholder')), users.workEmails.placeholder);
			assert.equal(await ui.switchIsOn(page, 'returnAll'), false, 'Return All is on by default');
			await $.parameterInput('returnAll', $.parameters).locator('.el-switch').click();
			await $.parameterInput('limit', $.parameters).waitFor({ state: 'hidden' });
			return `Filters offers ${filters.join(', ')}`;
		});
		await ui.closeNdv(page);

		// 3b. ------------------------------------------------------------------------------------
		section('Skip Unchanged Courses from the editor');
		const skipped = {};
		await check('a run from the editor uses the record of confirmed courses, and the output pane says n8n keeps nothing of it', async () => {
			const credentials = await env.server.get('/rest/credentials');
			const credential = credentials.json?.data?.find((each) => each.type === 'komboApi');
			assert.ok(credential, `no komboApi credential: ${credentials.text.slice(0, 300)}`);
			const rows = [
				{ origin_id: 'UI-1', title: 'Confirmed before', course_url: 'https://academy.example.com/ui/1' },
				{ origin_id: 'UI-2', title: 'New in this run', course_url: 'https://academy.example.com/ui/2' },
			];
			const { courseFingerprint } = require(path.join(stack.REPO, 'dist', 'nodes', 'Kombo', 'helpers', 'fingerprint.js'));
			const first = { origin_id: rows[0].origin_id, course: { type: 'EXTERNAL', title: rows[0].title, course_url: rows[0].course_url } };
			skipped.record = { [`node:${SKIP_NODE}`]: { confirmedCourses: { format: 1, fingerprints: courseFingerprint(INTEGRATION_ID, first) } } };
			const created = await env.server.post('/rest/workflows', skipWorkflow({ id: credential.id, name: credential.name }, rows));
			assert.equal(created.status, 200, created.text.slice(0, 300));
			skipped.id = created.json.data.id;
			// As a finished production execution leaves it (n8n's REST API takes no static data on create).
			await writeStaticData(prepared, skipped.id, skipped.record);
			const stored = await env.server.get(`/rest/workflows/${skipped.id}`);
			assert.deepEqual(stored.json.data.staticData, skipped.record, 'the new workflow does not hold the record');

			await page.goto(`${baseUrl}/workflow/${skipped.id}`);
			await $.canvasNode(SKIP_NODE).waitFor();
			stub.reset();
			const toast = await ui.executeWorkflow(page);
			assert.match(toast, /executed successfully/, toast);
			await ui.openNode(page, SKIP_NODE);
			const table = await ui.outputTable(page);
			assert.deepEqual(
				table.map((row) => `${row.origin_id} ${row.status}`),
				['UI-1 UNCHANGED', 'UI-2 SUCCEEDED'],
			);
			assert.deepEqual(stub.posts().flatMap((request) => request.body.items.map((item) => item.origin_id)), ['UI-2']);
			const hint = $.output.getByText(EXPECTED.editorRunHint);
			await hint.first().waitFor();
			const after = await env.server.get(`/rest/workflows/${skipped.id}`);
			assert.deepEqual(after.json.data.staticData, skipped.record, 'the run from the editor changed the record');
			return `UI-1 UNCHANGED, UI-2 sent; "${(await hint.first().innerText()).trim().slice(0, 70)}…"`;
		});

		await check('saving the workflow in the editor sends no static data, so a record written meanwhile stays', async () => {
			assert.ok(skipped.id, 'the workflow of the check before is missing');
			await ui.closeNdv(page);
			// A production execution ends while the workflow is open in the editor, and n8n saves its record.
			const newer = { [`node:${SKIP_NODE}`]: { confirmedCourses: { format: 1, fingerprints: 'AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBB' } } };
			await writeStaticData(prepared, skipped.id, newer);
			const saves = [];
			const listener = (request) => {
				if (request.method() === 'PATCH' && request.url().includes(`/rest/workflows/${skipped.id}`)) saves.push(request.postDataJSON());
			};
			page.on('request', listener);
			try {
				const box = await $.canvasNode('Course rows').boundingBox();
				await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
				await page.mouse.down();
				await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 40, { steps: 6 });
				await page.mouse.up();
				await page.keyboard.press('Control+s');
				for (let tries = 0; tries < 100 && saves.length === 0; tries++) await page.waitForTimeout(100);
			} finally {
				page.off('request', listener);
			}
			assert.ok(saves.length > 0, 'the editor sent no save');
			assert.ok(saves.every((body) => !('staticData' in body)), `the editor sent static data: ${Object.keys(saves[0]).join(', ')}`);
			await page.waitForTimeout(500);
			const stored = await env.server.get(`/rest/workflows/${skipped.id}`);
			assert.deepEqual(stored.json.data.staticData, newer, 'saving in the editor replaced the record');
			return `${saves.length} save(s) sent: ${Object.keys(saves[0]).sort().join(', ')}`;
		});

		// 3c. ------------------------------------------------------------------------------------
		section('the completion write-back example');
		const wb = EXPECTED.writeBack;
		const writeBackExample = readJson(WRITE_BACK_EXAMPLE);
		await check(`examples/completion-write-back.json imports from a file: its ${writeBackExample.nodes.length - 1} nodes and its sticky note on the canvas, "${wb.komboNode}" with a ${wb.outputs.join(' and an ')} output`, async () => {
			await ui.newWorkflow(page, baseUrl);
			await ui.importWorkflowFile(page, WRITE_BACK_EXAMPLE);
			const nodes = writeBackExample.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
			for (const node of nodes) await $.canvasNode(node.name).waitFor();
			await page.getByTestId('sticky').filter({ hasText: wb.stickyNote }).waitFor();
			const shown = await $.canvasNode(wb.komboNode).innerText();
			for (const output of wb.outputs) assert.match(shown, new RegExp(`(^|\\s)${output}(\\s|$)`), `the node shows: ${shown}`);
			return nodes.map((n) => n.name).join(', ');
		});
		await check(`its "${wb.komboNode}" panel: ${cpLabel} → ${completeLabel}, the learner's email and the course from the webhook's body, ${cp.options.enrollIfNeeded} on`, async () => {
			await ui.openNode(page, wb.komboNode);
			const value = async (name) => (await $.parameterInput(name, $.parameters).locator('input').first().inputValue()).trim();
			await $.parameterInput('learnerEmail', $.parameters).waitFor();
			assert.equal(await value('resource'), cpLabel);
			assert.equal(await value('operation'), completeLabel);
			for (const name of ['learnerEmail', 'courseOriginId']) {
				const text = (await $.parameterInput(name, $.parameters).innerText()).trim();
				assert.ok(text.includes(wb[name]), `${name} shows: ${text}`);
			}
			assert.equal(await ui.switchIsOn(page, 'enrollIfNeeded'), true, `${cp.options.enrollIfNeeded} is off`);
			await ui.closeNdv(page);
		});

		// 3d. ------------------------------------------------------------------------------------
		section('the Kombo Trigger (examples/completions-to-crm.json)');
		const tr = EXPECTED.trigger;
		const crmExample = readJson(CRM_EXAMPLE);
		const triggerNode = crmExample.nodes.find((n) => n.name === tr.node);
		await check(`examples/completions-to-crm.json imports from a file: "${tr.node}" and the nodes after it on the canvas`, async () => {
			assert.ok(triggerNode, `the example has no node "${tr.node}"`);
			await ui.newWorkflow(page, baseUrl);
			await ui.importWorkflowFile(page, CRM_EXAMPLE);
			const nodes = crmExample.nodes.filter((n) => n.type !== 'n8n-nodes-base.stickyNote');
			for (const node of nodes) await $.canvasNode(node.name).waitFor();
			return nodes.map((n) => n.name).join(' → ');
		});
		const webhooks = $.ndv.locator('.webhooks');
		const shownUrl = async () => (await webhooks.locator('.webhook-wrapper').first().innerText()).replace(/\s+/g, ' ').trim();
		const urlOf = (kind) => `${baseUrl}/${tr.urlKinds[kind].prefix}/${triggerNode?.webhookId}/${tr.path}`;
		await check(`its panel shows "${tr.webhookUrls}": the ${tr.urlKinds.test.label} and the ${tr.urlKinds.production.label} (${tr.httpMethod}), each the node's webhookId then /${tr.path}`, async () => {
			await ui.openNode(page, tr.node);
			const headline = webhooks.locator('.headline');
			await headline.waitFor();
			assert.equal((await headline.innerText()).trim(), tr.webhookUrls);
			await headline.click();
			const selection = webhooks.locator('.url-selection');
			await selection.waitFor();
			const kinds = (await selection.innerText()).split('\n').map((line) => line.trim()).filter(Boolean);
			assert.deepEqual(kinds, [tr.urlKinds.test.label, tr.urlKinds.production.label]);
			const shown = {};
			for (const kind of ['test', 'production']) {
				await selection.getByText(tr.urlKinds[kind].label, { exact: true }).click();
				await webhooks.locator('.webhook-wrapper').filter({ hasText: urlOf(kind) }).waitFor();
				shown[kind] = await shownUrl();
				assert.equal(shown[kind], `${tr.httpMethod} ${urlOf(kind)}`);
			}
			return `${shown.test} | ${shown.production}`;
		});
		await check(`the setup notice says to ${String(tr.setupNotice).slice(1, -1)} into the Kombo dashboard, naming the Test URL and the Production URL`, async () => {
			const notice = $.parameters.locator('.notice').filter({ hasText: tr.setupNotice });
			await notice.first().waitFor();
			const text = (await notice.first().innerText()).trim();
			assert.match(text, /Test URL/);
			assert.match(text, /Production URL/);
			// The notice points at the URLs "above": n8n must show them above it.
			const [urls, box] = [await webhooks.boundingBox(), await notice.first().boundingBox()];
			assert.ok(urls && box && urls.y + urls.height <= box.y + 1, `the Webhook URLs (${JSON.stringify(urls)}) are not above the notice (${JSON.stringify(box)})`);
			return `"${text.slice(0, 90)}…"`;
		});
		await check(`${tr.events.label} shows ${tr.events.chosen.join(', ')} and offers ${tr.events.offered.length} choices`, async () => {
			const shown = await ui.shownParameters(page);
			assert.equal(shown.find((p) => p.name === 'events')?.label, tr.events.label, `shown: ${shown.map((p) => p.name).join(', ')}`);
			const events = $.parameterInput('events', $.parameters);
			const text = (await events.innerText()).trim();
			for (const chosen of tr.events.chosen) assert.ok(text.includes(chosen), `${tr.events.label} shows: ${text}`);
			const offered = await ui.optionLabels(page, events.locator('.el-select, input').first());
			assert.deepEqual(offered, tr.events.offered);
			return `shows "${text.replace(/\s+/g, ' ')}"; offers ${offered.join(', ')}`;
		});
		await check(`Options holds ${tr.changedModels.label} (${tr.changedModels.chosen.join(', ')}) and offers ${tr.integrationIds.label}, with its placeholder`, async () => {
			const shown = await ui.shownParameters(page);
			assert.equal(shown.find((p) => p.name === 'changedModels')?.label, tr.changedModels.label, `shown: ${shown.map((p) => p.name).join(', ')}`);
			const models = (await $.parameterInput('changedModels', $.parameters).innerText()).trim();
			for (const chosen of tr.changedModels.chosen) assert.ok(models.includes(chosen), `${tr.changedModels.label} shows: ${models}`);
			const offered = await ui.collectionOptions(page, 'options');
			assert.deepEqual(offered, [tr.integrationIds.label]);
			await ui.addCollectionOption(page, tr.integrationIds.label);
			const ids = $.parameterInput('integrationIds', $.parameters);
			await ids.waitFor();
			assert.equal((await ui.shownParameters(page)).find((p) => p.name === 'integrationIds')?.label, tr.integrationIds.label);
			const placeholder = String(await ids.locator('input, textarea').first().getAttribute('placeholder'));
			assert.match(placeholder, tr.integrationIds.placeholder);
			await ui.closeNdv(page);
			return `${tr.changedModels.label}: ${models.replace(/\s+/g, ' ')}; ${tr.integrationIds.label} placeholder "${placeholder}"`;
		});

		// 4. -------------------------------------------------------------------------------------
		section('network');
		await check('the browser tried to reach nothing but 127.0.0.1 (anything else is aborted)', () => {
			assert.deepEqual(browser.blocked, []);
		});
		await check('no n8n process tried to reach anything but 127.0.0.1', () => {
			assert.deepEqual(env.n8nNetworkAttempts(), []);
		});
		ok = tally.failed === 0;
	} catch (error) {
		runnerFailed(error);
	} finally {
		if (browser) {
			if (browser.pageErrors.length > 0) note(`errors the editor's page threw: ${browser.pageErrors.slice(0, 5).join(' | ')}`);
			await browser.close();
		}
		if (env) await env.stop();
		stack.killAll();
		if (ok && !keep) fs.rmSync(work, { recursive: true, force: true });
		else console.log(`\nwork folder kept for inspection: ${work}`);
	}
	const totalMs = Date.now() - startedAt;
	console.log(`\nset-up (build, install, n8n start, browser): ${stack.seconds(setupMs)}; checks in the editor: ${stack.seconds(totalMs - setupMs)}; total: ${stack.seconds(totalMs)}`);
	summary();
	process.exitCode = tally.failed === 0 ? 0 : 1;
}

if (require.main === module) {
	process.on('SIGINT', () => {
		stack.killAll();
		process.exit(130);
	});
	main().catch((error) => {
		stack.killAll();
		console.error(error);
		console.log(`${tally.passed} passed, ${tally.failed + 1} failed`);
		process.exit(1);
	});
}

// scripts/screenshots.js takes the texts it looks for from here too.
module.exports = { EXPECTED };
