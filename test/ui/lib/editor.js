'use strict';

// The n8n 2.41 editor as a builder uses it, in small steps shared by the UI test and the
// screenshot script. Elements are found by n8n's own data-test-id attributes (the ones n8n's
// Playwright tests use), and by visible text only where n8n gives no attribute. Every step waits
// for the element it needs rather than for a fixed time.

const { OWNER } = require('./stack');

/** @param {import('playwright-core').Page} page */
function ids(page) {
	const byId = (id) => page.getByTestId(id);
	const ndv = byId('ndv');
	const output = byId('output-panel');
	return {
		byId,
		ndv,
		output,
		parameters: byId('node-parameters'),
		canvasNode: (name) => page.locator(`[data-test-id="canvas-node"][data-node-name="${name}"]`),
		edgeLabel: (from, to) => page.locator(`[data-test-id="edge-label"][data-source-node-name="${from}"][data-target-node-name="${to}"]`),
		credentialModal: byId('credential-edit-dialog'),
		parameterInput: (name, root = page) => root.getByTestId(`parameter-input-${name}`),
		// A select's options are rendered in a popper attached to <body>, with role "option".
		visibleOption: (name) => page.getByRole('option').filter({ visible: true, hasText: name }),
		mapper: byId('resource-mapper-container'),
		mapperFields: byId('mapping-fields-container'),
		outputBranches: output.getByTestId('branches'),
		outputData: output.getByTestId('ndv-data-container'),
	};
}

/** Signs in through the form, as the owner that `POST /rest/owner/setup` created. */
async function signIn(page, baseUrl, owner = OWNER) {
	await page.goto(`${baseUrl}/signin`);
	const form = page.getByTestId('auth-form');
	await form.getByTestId('emailOrLdapLoginId').locator('input').fill(owner.email);
	await form.getByTestId('password').locator('input').fill(owner.password);
	await form.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

/** Opens an empty workflow and waits for the canvas' "Add first step" button. */
async function newWorkflow(page, baseUrl) {
	await page.goto(`${baseUrl}/workflow/new`);
	await page.getByTestId('canvas-plus-button').waitFor();
}

/**
 * Searches the node picker (the canvas' "Add first step" button) and returns the locator of the
 * result whose name is exactly `displayName`. It does not open the result: the panel behind it
 * asks the npm registry about the package (see the editor tests in docs/development.md).
 */
async function searchNodePicker(page, text, displayName) {
	await page.getByTestId('canvas-plus-button').click();
	const creator = page.getByTestId('node-creator');
	await creator.getByTestId('node-creator-search-bar').fill(text);
	const item = creator.getByTestId('item-iterator-item').filter({ has: page.getByTestId('node-creator-item-name').getByText(displayName, { exact: true }) });
	await item.first().waitFor();
	return item;
}

/** Imports a workflow file through the workflow menu (… → Import → From file). */
async function importWorkflowFile(page, file) {
	await page.getByTestId('workflow-menu').click();
	await page.getByRole('menuitem', { name: 'Import', exact: true }).hover();
	const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('menuitem', { name: 'From file' }).click()]);
	await chooser.setFiles(file);
}

async function openNode(page, name) {
	const { canvasNode, ndv } = ids(page);
	await canvasNode(name).dblclick();
	await ndv.waitFor();
}

async function closeNdv(page) {
	const { ndv, byId } = ids(page);
	if (!(await ndv.isVisible())) return;
	await byId('ndv-close-button').click();
	await ndv.waitFor({ state: 'hidden' });
}

/** Picks an option of an n8n select (a node parameter, or a credential field). */
async function selectOption(page, input, optionLabel) {
	await input.click();
	const options = ids(page).visibleOption(optionLabel);
	await options.first().waitFor();
	// An option shows its name, then its description on the next line.
	const names = (await options.allInnerTexts()).map((text) => text.split('\n')[0].trim());
	const index = names.indexOf(optionLabel);
	if (index === -1) throw new Error(`no option "${optionLabel}"; offered: ${names.join(', ')}`);
	const option = options.nth(index);
	await option.click();
	await options.first().waitFor({ state: 'hidden' });
}

/** The option labels an n8n select offers (first line of each option: its name). */
async function optionLabels(page, input) {
	await input.click();
	const options = ids(page).visibleOption('');
	await options.first().waitFor();
	const texts = await options.allInnerTexts();
	await page.keyboard.press('Escape');
	await options.first().waitFor({ state: 'hidden' });
	return texts.map((text) => text.split('\n')[0].trim());
}

/**
 * The parameters the open NDV shows, top to bottom: `{ name, label }` each, `name` as the label's
 * `for` attribute gives it (the parameter's name), `label` as displayed.
 */
async function shownParameters(page) {
	return await ids(page).parameters.evaluate((root) => {
		const seen = new Set();
		const shown = [];
		for (const item of root.querySelectorAll('[data-test-id="parameter-item"]')) {
			if (item.offsetParent === null) continue;
			const label = item.querySelector('label.n8n-input-label');
			const name = label?.getAttribute('for');
			if (!name || seen.has(name)) continue;
			seen.add(name);
			shown.push({ name, label: (label.querySelector('.n8n-text') ?? label).textContent.trim() });
		}
		return shown;
	});
}

/** The parameter item of a parameter of the open NDV, by name (for a collection: the whole collection). */
function parameterItem(page, name) {
	return ids(page).parameters.locator('[data-test-id="parameter-item"]').filter({ has: page.locator(`label[for="${name}"]`) }).first();
}

/** Opens a collection's "Add option" list (Options, Filters…) and returns the labels it offers. */
async function collectionOptions(page, name) {
	await parameterItem(page, name).getByTestId('collection-parameter-add').first().click();
	const options = page.getByTestId('collection-parameter-option').filter({ visible: true });
	await options.first().waitFor();
	return (await options.allInnerTexts()).map((text) => text.trim());
}

/** Adds an option to a collection by its label, from the list `collectionOptions` opened. */
async function addCollectionOption(page, label) {
	const option = page.getByTestId('collection-parameter-option').filter({ visible: true, hasText: label });
	await option.first().click();
	await option.first().waitFor({ state: 'hidden' });
}

/** Whether a boolean parameter's switch is on. */
async function switchIsOn(page, name) {
	// Element Plus keeps the switch's checkbox itself invisible.
	const toggle = ids(page).parameterInput(name, ids(page).parameters).locator('[role="switch"]');
	await toggle.waitFor({ state: 'attached' });
	return (await toggle.getAttribute('aria-checked')) === 'true';
}

/**
 * Fills the Kombo credential modal and saves it. n8n tests a credential when it is saved.
 * `fields` maps credential property names to values; an `options` field takes its option label.
 */
async function fillCredential(page, fields, { selectFields = [] } = {}) {
	const { credentialModal, parameterInput } = ids(page);
	await credentialModal.waitFor();
	for (const [name, value] of Object.entries(fields)) {
		const input = parameterInput(name, credentialModal);
		if (selectFields.includes(name)) await selectOption(page, input, value);
		else await input.locator('input').fill(value);
	}
}

async function renameCredential(page, newName) {
	// The name sits in the modal's header, outside the credential-edit-dialog element.
	const nameField = page.getByTestId('credential-name');
	await nameField.click();
	const input = nameField.getByTestId('inline-edit-input');
	await input.fill(newName);
	await input.press('Enter');
	await nameField.getByTestId('inline-edit-preview').getByText(newName, { exact: true }).waitFor();
}

/**
 * Saves the open credential, which makes n8n test it, and returns what the modal then shows:
 * `{ ok, message, status }` (`status` is what n8n's test endpoint answered).
 */
async function saveCredential(page) {
	const { credentialModal, byId } = ids(page);
	const tested = page.waitForResponse((response) => new URL(response.url()).pathname === '/rest/credentials/test', { timeout: 30_000 });
	await byId('credential-save-button').click();
	const answer = await (await tested).json().catch(() => ({}));
	const status = answer?.data?.status;
	const success = credentialModal.getByTestId('credentials-config-container-test-success');
	const failure = credentialModal.getByText('Couldn’t connect with these settings');
	if (status === 'OK') {
		// After a successful test of a new credential opened from a node, n8n closes the modal.
		const outcome = await firstOf(
			{ success: async () => await success.isVisible(), closed: async () => !(await credentialModal.isVisible()) },
			20_000,
		);
		return { ok: true, status, message: outcome === 'success' ? (await success.innerText()).trim() : 'saved; the modal closed after the test' };
	}
	await failure.waitFor();
	const details = credentialModal.getByText('More details');
	if (await details.isVisible()) await details.click();
	const expected = String(answer?.data?.message ?? '').trim();
	if (expected) await credentialModal.getByText(expected.slice(0, 60)).first().waitFor();
	return { ok: false, status, message: await credentialModal.innerText() };
}

async function closeCredentialModal(page) {
	const { credentialModal } = ids(page);
	if (!(await credentialModal.isVisible())) return;
	await page.locator('.el-dialog:visible').filter({ has: credentialModal }).locator('.el-dialog__headerbtn, .el-dialog__close').first().click();
	await credentialModal.waitFor({ state: 'hidden' });
}

/**
 * Clicks "Execute workflow" and waits until n8n reports the run as finished: the toast n8n shows
 * at the end of a manual run ("Workflow executed successfully", or "Problem in node …").
 */
async function executeWorkflow(page, { timeoutMs = 60_000 } = {}) {
	const done = page.locator('.el-notification').filter({ hasText: /Workflow executed successfully|Problem in node|Workflow has issues|Execution stopped/ });
	// Dismiss toasts of an earlier run first, so that the wait below sees this run's.
	await dismissToasts(page);
	await page.getByTestId('execute-workflow-button').click();
	await done.first().waitFor({ timeout: timeoutMs });
	return (await done.first().innerText()).replace(/\s+/g, ' ').trim();
}

/** Selects an output branch tab ("Success Branch (16 items)"…) of the open NDV by its name. */
async function selectOutputBranch(page, branchName) {
	const tab = ids(page).outputBranches.getByText(new RegExp(`^${escapeRegExp(branchName)}\\b`));
	await tab.click();
	return (await tab.innerText()).trim();
}

/** The output table of the open NDV as rows of { column: cell text }. */
async function outputTable(page) {
	const table = ids(page).outputData.locator('table').first();
	await table.waitFor();
	return await table.evaluate((element) => {
		const headers = [...element.querySelectorAll('thead th')].map((th) => th.innerText.trim());
		return [...element.querySelectorAll('tbody tr')].map((tr) => {
			const cells = [...tr.querySelectorAll('td')].map((td) => td.innerText.trim());
			return Object.fromEntries(headers.map((header, i) => [header, cells[i] ?? '']).filter(([header]) => header !== ''));
		});
	});
}

/** Moves the NDV's middle (parameters) panel to the left edge, so the output panel gets the width. */
async function widenOutputPanel(page) {
	const handle = page.getByTestId('panel-drag-button');
	const box = await handle.boundingBox();
	if (!box) return;
	await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
	await page.mouse.down();
	await page.mouse.move(40, box.y + box.height / 2, { steps: 8 });
	await page.mouse.up();
}

async function dismissToasts(page) {
	await page.locator('.el-notification .el-notification__closeBtn').evaluateAll((buttons) => buttons.forEach((b) => b.click()));
	await page.locator('.el-notification').first().waitFor({ state: 'detached', timeout: 5_000 }).catch(() => undefined);
}

/** Polls named conditions until one holds; returns its name. For "whichever of these shows first". */
async function firstOf(conditions, timeoutMs) {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		for (const [name, holds] of Object.entries(conditions)) {
			if (await holds()) return name;
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`none of ${Object.keys(conditions).join(', ')} within ${timeoutMs / 1000} s`);
}

function escapeRegExp(text) {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

module.exports = {
	ids,
	signIn,
	newWorkflow,
	searchNodePicker,
	importWorkflowFile,
	openNode,
	closeNdv,
	selectOption,
	optionLabels,
	shownParameters,
	parameterItem,
	collectionOptions,
	addCollectionOption,
	switchIsOn,
	fillCredential,
	renameCredential,
	saveCredential,
	closeCredentialModal,
	executeWorkflow,
	selectOutputBranch,
	outputTable,
	widenOutputPanel,
	dismissToasts,
	firstOf,
	escapeRegExp,
};
