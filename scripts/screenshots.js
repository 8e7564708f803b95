#!/usr/bin/env node
'use strict';

// npm run screenshots: the README's pictures, taken from the real n8n editor (the cached install
// of `npm run test:e2e`) in Debian's Chromium, against the Kombo sandbox, with the same set-up
// as `npm run test:ui` (test/ui/lib). Writes, at 1400×900:
//
//   docs/images/node-panel.png    the Create or Update panel with the Courses mapper, after a run
//   docs/images/run-output.png    the node's output table after a run (success branch)
//   docs/images/error-branch.png  the items on its error branch (invalid rows, a course Kombo rejected)
//   docs/images/complete-panel.png  Course Progression → Complete in examples/completion-write-back.json,
//                                 run on a webhook call pinned to its Webhook node (input, panel, output)
//
// Env: KOMBO_E2E_CACHE (the n8n install's cache folder), KOMBO_UI_CHROMIUM (default /usr/bin/chromium).

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const stack = require('../test/ui/lib/stack');
const ui = require('../test/ui/lib/editor');
const { EXPECTED } = require('../test/ui/run-ui');
const { readSandboxSeed } = require('../test/support/examples');

const OUT = path.join(stack.REPO, 'docs', 'images');
const EXAMPLE = path.join(stack.REPO, 'examples', 'spreadsheet-to-lms.json');
const KOMBO_NODE = 'Create or Update Courses';
const WRITE_BACK = path.join(stack.REPO, 'examples', 'completion-write-back.json');
/** The webhook call pinned to the write-back example's Webhook node: a learner enrolled by the node, then completed. */
const WRITE_BACK_CALL = { email: 'alan@example.com', course: 'CAT-003', completed_at: '2026-04-15T09:30:00+02:00', score: 88 };
const REJECTED = { [EXPECTED.example.rejectedByKombo]: { code: 'LMS.COURSE_UPDATE_NOT_SUPPORTED', message: 'This LMS cannot update an existing course.' } };

const log = (text) => console.log(`  ${text}`);

async function shoot(page, name) {
	await ui.dismissToasts(page);
	// Let transitions and tooltips settle: the picture is of the editor at rest.
	await page.mouse.move(5, 890);
	await page.waitForTimeout(400);
	const file = path.join(OUT, name);
	await page.screenshot({ path: file });
	log(`wrote ${path.relative(stack.REPO, file)}`);
}

async function main() {
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kombo-screenshots-'));
	fs.mkdirSync(OUT, { recursive: true });
	let env;
	let browser;
	let ok = false;
	try {
		const prepared = await stack.prepareN8n({ work, log });
		env = await stack.startStack({ work, ...prepared, stubOptions: { failOriginIds: REJECTED, ...readSandboxSeed('completion-write-back-sandbox-seed.json') }, log });
		browser = await stack.launchBrowser({ work });
		const { page } = browser;
		const $ = ui.ids(page);

		await ui.signIn(page, env.baseUrl);
		await ui.newWorkflow(page, env.baseUrl);
		await ui.importWorkflowFile(page, EXAMPLE);
		await ui.openNode(page, KOMBO_NODE);
		await $.byId('node-credentials-empty-state').click();
		await ui.renameCredential(page, 'Kombo sandbox');
		const c = EXPECTED.credential;
		await ui.fillCredential(page, { [c.region]: c.customRegionLabel }, { selectFields: [c.region] });
		await ui.fillCredential(page, { [c.baseUrl]: env.stub.url, [c.integrationId]: 'sandbox:demo', [c.apiKey]: env.stub.apiKey });
		const saved = await ui.saveCredential(page);
		if (!saved.ok) throw new Error(`the credential test failed: ${saved.message}`);
		await ui.closeCredentialModal(page);
		await ui.closeNdv(page);

		const toast = await ui.executeWorkflow(page);
		log(`run: ${toast}`);

		await ui.openNode(page, KOMBO_NODE);
		await ui.selectOutputBranch(page, EXPECTED.branches.success);
		await $.outputData.locator('table').waitFor();
		await $.mapperFields.waitFor();
		await shoot(page, 'node-panel.png');

		await ui.widenOutputPanel(page);
		await shoot(page, 'run-output.png');

		await ui.selectOutputBranch(page, EXPECTED.branches.error);
		await $.outputData.locator('table').waitFor();
		// The reason is in the last columns (error, details): scroll the table to them.
		await $.outputData.evaluate((root) => {
			for (const element of [root, ...root.querySelectorAll('*')]) {
				if (element.scrollWidth > element.clientWidth + 10) element.scrollLeft = element.scrollWidth;
			}
		});
		await shoot(page, 'error-branch.png');
		await ui.closeNdv(page);

		// The write-back example, its Webhook node's output pinned to one call from the platform, so
		// that Execute workflow runs it without waiting for a request.
		const writeBack = JSON.parse(fs.readFileSync(WRITE_BACK, 'utf8'));
		const webhook = writeBack.nodes.find((node) => node.type === 'n8n-nodes-base.webhook');
		const komboNode = writeBack.nodes.find((node) => node.type === 'n8n-nodes-kombo.kombo');
		writeBack.pinData = { [webhook.name]: [{ json: { headers: { 'content-type': 'application/json' }, params: {}, query: {}, body: WRITE_BACK_CALL } }] };
		const pinned = path.join(work, 'completion-write-back-pinned.json');
		fs.writeFileSync(pinned, JSON.stringify(writeBack));
		await ui.newWorkflow(page, env.baseUrl);
		await ui.importWorkflowFile(page, pinned);
		await $.canvasNode(komboNode.name).waitFor();
		log(`write-back run: ${await ui.executeWorkflow(page)}`);
		await ui.openNode(page, komboNode.name);
		// The middle panel back in the middle (run-output.png moved it left), so the webhook's body shows.
		const handle = await page.getByTestId('panel-drag-button').boundingBox();
		if (handle) {
			await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
			await page.mouse.down();
			await page.mouse.move(stack.VIEWPORT.width / 2, handle.y + handle.height / 2, { steps: 8 });
			await page.mouse.up();
		}
		await ui.selectOutputBranch(page, EXPECTED.branches.success);
		// JSON: every field of the item, top to bottom, where the table would cut them off.
		await $.output.getByTestId('ndv-run-data-display-mode').getByText('JSON', { exact: true }).click();
		await $.outputData.getByText('"ALREADY_COMPLETED"').or($.outputData.getByText('"COMPLETED"')).first().waitFor();
		await $.parameterInput('learnerEmail', $.parameters).waitFor();
		await shoot(page, 'complete-panel.png');

		if (browser.blocked.length > 0) throw new Error(`the browser tried to leave 127.0.0.1: ${browser.blocked.join(', ')}`);
		const attempts = env.n8nNetworkAttempts();
		if (attempts.length > 0) throw new Error(`n8n tried to leave 127.0.0.1: ${attempts.join('\n')}`);
		ok = true;
	} finally {
		if (browser) await browser.close();
		if (env) await env.stop();
		stack.killAll();
		if (ok) fs.rmSync(work, { recursive: true, force: true });
		else console.log(`work folder kept for inspection: ${work}`);
	}
}

main().catch((error) => {
	stack.killAll();
	console.error(error);
	process.exit(1);
});
