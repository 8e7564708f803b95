import type { ICredentialsDecrypted, ICredentialTestFunctions, IDataObject, INode, IWebhookFunctions } from 'n8n-workflow';

import { KomboWebhookApi } from '../../../credentials/KomboWebhookApi.credentials';
import { KomboTrigger, NO_SECRET_MESSAGE, RECENT_EVENT_IDS_KEPT } from '../../../nodes/KomboTrigger/KomboTrigger.node';
import { signatureOf } from '../../../nodes/KomboTrigger/helpers/events';
import { failure } from '../../helpers/failure';

const NODE: INode = { id: 't', name: 'Kombo Trigger', type: 'n8n-nodes-kombo.komboTrigger', typeVersion: 1, position: [0, 0], parameters: {} };
const SIGNED_WITH = 'kombo_whsec_3f9a7c';

interface Delivery {
	body: string;
	signature?: string | null;
	secret?: string;
	events?: string[];
	options?: IDataObject;
	staticData?: IDataObject;
}

/** One POST to the trigger's URL, as n8n hands it to webhook(): what the node answered and started. */
async function deliver({ body, signature, secret = SIGNED_WITH, events = ['*'], options = {}, staticData = {} }: Delivery) {
	const raw = Buffer.from(body, 'utf8');
	const answered: { status?: number; json?: unknown } = {};
	const response = {
		status(code: number) {
			answered.status = code;
			return response;
		},
		json(json: unknown) {
			answered.json = json;
			return response;
		},
	};
	const headers: IDataObject = {};
	if (signature !== null) headers['x-kombo-signature'] = signature ?? signatureOf(raw, SIGNED_WITH);
	const ctx = {
		getNode: () => NODE,
		getCredentials: async () => ({ webhookSecret: secret }),
		getRequestObject: () => ({ rawBody: raw, body: {} }),
		getResponseObject: () => response,
		getHeaderData: () => headers,
		getNodeParameter: (name: string, fallback: unknown) => ({ events, options })[name as 'events' | 'options'] ?? fallback,
		getWorkflowStaticData: () => staticData,
	} as unknown as IWebhookFunctions;
	const result = await new KomboTrigger().webhook.call(ctx);
	return { result, answered, staticData };
}

const dataChanged = (id = 'evt_1', integration = 'workday:1', models = ['lms_course_progressions']) =>
	JSON.stringify({ id, type: 'data-changed', data: { integration_id: integration, integration_tool: 'workday', integration_category: 'LMS', changed_models: models.map((name) => ({ name })) } });

describe('Kombo Trigger: a delivery', () => {
	it('starts the workflow with one item for a signed event', async () => {
		const { result, answered } = await deliver({ body: dataChanged() });

		expect(answered).toEqual({});
		expect(result.workflowData).toEqual([
			[
				{
					json: {
						event_id: 'evt_1',
						type: 'data-changed',
						integration_id: 'workday:1',
						changed_models: ['course_progressions'],
						received_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
						updated_after: null,
						event: JSON.parse(dataChanged()),
					},
				},
			],
		]);
	});

	it.each([
		['no signature', { signature: null }],
		['a signature of another body', { signature: signatureOf(Buffer.from(dataChanged('evt_2')), SIGNED_WITH) }],
		['a signature under another secret', { signature: signatureOf(Buffer.from(dataChanged()), 'other') }],
		['garbage for a signature', { signature: 'not-a-signature' }],
	])('answers 401 to %s and starts nothing', async (_case, delivery) => {
		const { result, answered, staticData } = await deliver({ body: dataChanged(), ...delivery });

		expect(result).toEqual({ noWebhookResponse: true });
		expect(answered).toEqual({ status: 401, json: { error: 'The X-Kombo-Signature header is missing or does not match the body' } });
		expect(staticData).toEqual({});
	});

	it.each([[''], ['   ']])('refuses to run without a secret (%p), saying where the secret is found', async (secret) => {
		const error = await failure(deliver({ body: dataChanged(), secret }));

		expect(error.message).toBe(NO_SECRET_MESSAGE);
		expect(NO_SECRET_MESSAGE).toContain('Kombo Webhook Secret from the Webhooks page of the Kombo dashboard');
	});

	it.each([
		['a body that is not JSON', 'not json', 'The body is not JSON'],
		['JSON that is not an event', '{"hello":"world"}', 'The body is not a Kombo event: it has no id'],
	])('answers 400 to %s, even signed, and starts nothing', async (_case, body, error) => {
		const { result, answered } = await deliver({ body });

		expect(result).toEqual({ noWebhookResponse: true });
		expect(answered).toEqual({ status: 400, json: { error } });
	});

	it('answers 200 to a signed event the settings exclude, saying why, and starts nothing', async () => {
		const { result, staticData } = await deliver({ body: dataChanged(), events: ['sync-finished'] });

		expect(result).toEqual({ webhookResponse: { received: true, started: false, reason: "the event type data-changed is not one of the trigger's Events" } });
		expect(staticData).toEqual({});
	});

	it('reads blanks and spaces in the settings as nothing', async () => {
		const spaced = await deliver({ body: dataChanged(), events: [' data-changed ', ''], options: { changedModels: [' lms_course_progressions ', ''], integrationIds: ' workday:1 , ' } });
		const blank = await deliver({ body: dataChanged(), events: ['data-changed'], options: { changedModels: [''], integrationIds: ' , ' } });

		const unreadable = await deliver({ body: dataChanged(), events: ['data-changed'], options: { changedModels: [{ model: 'lms_users' }], integrationIds: { id: 'moodle:2' } } });

		expect(spaced.result.workflowData).toHaveLength(1);
		expect(blank.result.workflowData).toHaveLength(1);
		expect(unreadable.result.workflowData).toHaveLength(1);
	});

	it('applies Changed Models and Integration IDs from the options, as a list or as text', async () => {
		const pass = await deliver({ body: dataChanged(), events: ['data-changed'], options: { changedModels: ['lms_users', 'lms_course_progressions'], integrationIds: 'moodle:2, workday:1' } });
		const otherModel = await deliver({ body: dataChanged(), events: ['data-changed'], options: { changedModels: ['lms_users'] } });
		const otherIntegration = await deliver({ body: dataChanged(), events: ['data-changed'], options: { integrationIds: 'moodle:2\nmoodle:3' } });

		expect(pass.result.workflowData).toHaveLength(1);
		expect(otherModel.result.webhookResponse).toMatchObject({ started: false, reason: "none of the changed models is one of the trigger's Changed Models" });
		expect(otherIntegration.result.webhookResponse).toMatchObject({ started: false, reason: "the integration is not one of the trigger's Integration IDs" });
	});

	it('starts once for an event delivered twice, and gives the next event of the integration the previous one’s time', async () => {
		const staticData: IDataObject = {};
		const first = await deliver({ body: dataChanged('evt_1'), staticData });
		const again = await deliver({ body: dataChanged('evt_1'), staticData });
		const next = await deliver({ body: dataChanged('evt_2'), staticData });

		expect(first.result.workflowData).toHaveLength(1);
		expect(again.result).toEqual({ webhookResponse: { received: true, started: false, reason: 'this event was received before' } });
		const firstItem = (first.result.workflowData as Array<Array<{ json: IDataObject }>>)[0][0].json;
		const nextItem = (next.result.workflowData as Array<Array<{ json: IDataObject }>>)[0][0].json;
		expect(nextItem.updated_after).toBe(firstItem.received_at);
		expect(staticData).toMatchObject({ recentEventIds: ['evt_1', 'evt_2'] });
	});

	it('keeps the IDs of the latest 1,000 events', async () => {
		const staticData: IDataObject = { recentEventIds: Array.from({ length: RECENT_EVENT_IDS_KEPT }, (_, index) => `old_${index}`) };
		await deliver({ body: dataChanged('evt_new'), staticData });

		expect(RECENT_EVENT_IDS_KEPT).toBe(1000);
		expect(staticData.recentEventIds).toHaveLength(1000);
		expect((staticData.recentEventIds as string[]).at(-1)).toBe('evt_new');
		expect((staticData.recentEventIds as string[])[0]).toBe('old_1');
	});

	it('reads an absent raw body as empty, which no signature of a real body matches', async () => {
		const ctx = {
			getNode: () => NODE,
			getCredentials: async () => ({ webhookSecret: SIGNED_WITH }),
			getRequestObject: () => ({ body: JSON.parse(dataChanged()) }),
			getResponseObject: () => ({ status: () => ({ json: () => undefined }) }),
			getHeaderData: () => ({ 'x-kombo-signature': signatureOf(Buffer.from(dataChanged()), SIGNED_WITH) }),
		} as unknown as IWebhookFunctions;

		expect(await new KomboTrigger().webhook.call(ctx)).toEqual({ noWebhookResponse: true });
	});
});

// Each test constructs the node itself, as n8n's loader does, so that each one exercises the description.
describe('Kombo Trigger: description and credential', () => {
	it('is a trigger with no input, one webhook answered on receipt, and the Kombo Webhook API credential', () => {
		const { description } = new KomboTrigger();
		expect(description.icon).toEqual({ light: 'file:../../icons/kombo.svg', dark: 'file:../../icons/kombo.dark.svg' });
		expect(description.defaults).toEqual({ name: 'Kombo Trigger' });
		expect(description).toMatchObject({ displayName: 'Kombo Trigger', name: 'komboTrigger', group: ['trigger'], inputs: [], outputs: ['main'] });
		expect(description.webhooks).toEqual([{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }]);
		expect(description.credentials).toEqual([{ name: new KomboWebhookApi().name, required: true, testedBy: 'komboWebhookSecret' }]);
		expect(description.usableAsTool).toBeUndefined();
	});

	it('shows the notice, Events and Options in the panel, Events required and Data Changed by default', () => {
		const { description } = new KomboTrigger();
		expect(description.properties.map((property) => [property.displayName.slice(0, 20), property.name, property.type, property.required ?? false, property.default])).toEqual([
			['In the Kombo dashboa', 'setupNotice', 'notice', false, ''],
			['Events', 'events', 'multiOptions', true, ['data-changed']],
			['Options', 'options', 'collection', false, {}],
		]);
		const options = description.properties[2].options as Array<{ displayName: string; name: string; type: string; default: unknown; options?: Array<{ name: string; value: string }> }>;
		expect(options.map((option) => [option.displayName, option.name, option.type, option.default])).toEqual([
			['Changed Models', 'changedModels', 'multiOptions', []],
			['Integration IDs', 'integrationIds', 'string', ''],
		]);
		expect(options[0].options?.map((option) => `${option.name}=${option.value}`)).toEqual([
			'Course Progressions=lms_course_progressions',
			'Course Providers=lms_course_providers',
			'Course Revisions=lms_course_revisions',
			'Courses=lms_courses',
			'Skills=lms_skills',
			'Users=lms_users',
		]);
		const events = description.properties[1].options as Array<{ name: string; value: string }>;
		expect(events.map((option) => option.name)).toEqual(['Any Event', 'Connection Flow Failed', 'Data Changed', 'Integration Created', 'Integration Deleted', 'Integration State Changed', 'Sync Finished']);
	});

	it('says in the panel which URL to paste where, and offers the six events and any event', () => {
		const { description } = new KomboTrigger();
		const notice = description.properties.find((property) => property.type === 'notice');
		expect(notice?.displayName).toContain('the Test URL while you build the workflow');
		expect(notice?.displayName).toContain('the Production URL once the workflow is published');
		const events = description.properties.find((property) => property.name === 'events');
		expect((events?.options as Array<{ value: string }>).map((option) => option.value)).toEqual(['*', 'connection-flow-failed', 'data-changed', 'integration-created', 'integration-deleted', 'integration-state-changed', 'sync-finished']);
		expect(events?.default).toEqual(['data-changed']);
	});

	it('has nothing to set up at Kombo when the workflow is published or unpublished', async () => {
		const trigger = new KomboTrigger();
		const hooks = trigger.webhookMethods.default;
		const ctx = {} as never;
		expect([await hooks.checkExists.call(ctx), await hooks.create.call(ctx), await hooks.delete.call(ctx)]).toEqual([true, true, true]);
	});

	it('tests the credential for a secret, and says Kombo cannot check it', async () => {
		const test = new KomboTrigger().methods.credentialTest.komboWebhookSecret;
		const run = async (data: IDataObject | undefined) => await test.call({} as ICredentialTestFunctions, { id: 'c', name: 'c', type: 'komboWebhookApi', data } as ICredentialsDecrypted);

		expect(await run({ webhookSecret: ' s ' })).toEqual({ status: 'OK', message: 'The secret is set. Kombo offers no way to check it: send a test event from its dashboard.' });
		expect(await run({ webhookSecret: '  ' })).toEqual({ status: 'Error', message: 'Enter the Kombo Webhook Secret from the Webhooks page of the Kombo dashboard.' });
		expect((await run(undefined)).status).toBe('Error');
	});

	it('keeps the secret as a password, under Kombo’s icons', () => {
		expect(new KomboWebhookApi().icon).toEqual({ light: 'file:../icons/kombo.svg', dark: 'file:../icons/kombo.dark.svg' });
		expect(new KomboWebhookApi().properties).toEqual([expect.objectContaining({ name: 'webhookSecret', typeOptions: { password: true }, required: true })]);
	});
});
