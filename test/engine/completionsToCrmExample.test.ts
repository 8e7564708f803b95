import type { INode, INodeParameters } from 'n8n-workflow';

import { useRuntime } from '../support/engine';
import { readExample, readSandboxSeed } from '../support/examples';
import { createKomboTrigger, startTriggerEndpoint } from '../support/kombo-trigger';
import { complete, enrol } from '../support/stub-client';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { credentialsFor, jsonOf, runWorkflow, startKomboStub } from './fixtures';

const DEMO = 'sandbox:demo';
const SECRET = 'whsec_completions_to_crm';
const DAY_MS = 24 * 60 * 60 * 1000;
// Long enough that only flushWebhooks() sends, however slow the machine.
const NEVER_MS = 10 * 60_000;

interface Workflow {
	nodes: INode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

interface FilterCondition {
	leftValue: string;
	rightValue: string;
	operator: { type: string; operation: string };
}

const workflow = readExample('completions-to-crm.json') as Workflow;
const nodeOfType = (type: string) => workflow.nodes.find((each) => each.type === type) as INode;
const trigger = nodeOfType('n8n-nodes-kombo.komboTrigger');
const getMany = nodeOfType('n8n-nodes-kombo.kombo');
const filter = nodeOfType('n8n-nodes-base.filter');
const crm = nodeOfType('n8n-nodes-base.set');
const sticky = nodeOfType('n8n-nodes-base.stickyNote');
const targets = (from: string) => workflow.connections[from].main.map((output) => output.map((each) => each.node));
const filterConditions = () => (filter.parameters.conditions as unknown as { conditions: FilterCondition[]; combinator: string }).conditions;

/** The example's Filter, read from its one condition: a string field equal to a value. */
function passesFilter(json: Record<string, unknown>) {
	const [condition] = filterConditions();
	const field = /^=\{\{ \$json\.(\w+) \}\}$/.exec(condition.leftValue)?.[1] as string;
	return json[field] === condition.rightValue;
}

describe('examples/completions-to-crm.json', () => {
	it('is a Kombo Trigger on Data Changed of Course Progressions, through n8n’s Remove Duplicates on the event ID, into Course Progression → Get Many of what changed since updated_after in the event’s integration, a Filter on COMPLETED and a Set node for the CRM', () => {
		expect(workflow.nodes.filter((each) => each !== sticky).map((each) => each.type)).toEqual(['n8n-nodes-kombo.komboTrigger', 'n8n-nodes-base.removeDuplicates', 'n8n-nodes-kombo.kombo', 'n8n-nodes-base.filter', 'n8n-nodes-base.set']);
		const dedupe = workflow.nodes.find((each) => each.type === 'n8n-nodes-base.removeDuplicates');
		expect(dedupe?.parameters).toEqual({ operation: 'removeItemsSeenInPreviousExecutions', logic: 'removeItemsWithAlreadySeenKeyValues', dedupeValue: '={{ $json.event_id }}', options: {} });
		expect(trigger.parameters).toEqual({ events: ['data-changed'], options: { changedModels: ['lms_course_progressions'] } });
		expect(trigger.webhookId).toMatch(/^[0-9a-f-]{36}$/);
		expect(trigger.credentials?.komboWebhookApi?.name).toBe('Kombo sandbox webhook');
		expect(getMany.parameters).toEqual({
			resource: 'courseProgression',
			operation: 'getAll',
			returnAll: true,
			filters: { updatedAfter: '={{ $json.updated_after }}' },
			simplify: true,
			options: { integrationId: '={{ $json.integration_id }}' },
		});
		expect(getMany.credentials?.komboApi?.name).toBe('Kombo sandbox');
		expect(filterConditions()).toEqual([expect.objectContaining({ leftValue: '={{ $json.status }}', rightValue: 'COMPLETED', operator: { type: 'string', operation: 'equals' } })]);
		expect(targets(trigger.name)).toEqual([[dedupe?.name]]);
		expect(targets(dedupe?.name as string)).toEqual([[getMany.name]]);
		expect(targets(getMany.name)).toEqual([[filter.name]]);
		expect(targets(filter.name)).toEqual([[crm.name]]);
		const fields = (crm.parameters.assignments as unknown as { assignments: Array<{ name: string; value: string }> }).assignments;
		expect(Object.fromEntries(fields.map((each) => [each.name, each.value]))).toMatchObject({
			kombo_progression_id: '={{ $json.id }}',
			email: '={{ $json.work_email }}',
			course_origin_id: '={{ $json.origin_id }}',
			completed_at: '={{ $json.completed_at }}',
		});
	});

	it('explains the pattern on its sticky note: updated_after, a full fetch on the first event, retrying a failed execution', () => {
		const text = String(sticky.parameters.content);
		expect(text).toContain('updated_after');
		expect(text).toMatch(/first event[^.]*fetches everything/);
		expect(text).toMatch(/retry the failed execution/i);
		expect(text).toContain('kombo_progression_id');
	});

	describe('its Get Many, fed what the trigger outputs for each data-changed event the sandbox sends', () => {
		let stub: Stub;
		let kombo: Awaited<ReturnType<typeof createKomboTrigger>>;
		let endpoint: Awaited<ReturnType<typeof startTriggerEndpoint>>;
		let stubNow = Date.now() - 3 * DAY_MS;
		let restoreClock: () => void;

		beforeAll(async () => {
			kombo = await createKomboTrigger({ secret: SECRET, parameters: trigger.parameters as Record<string, unknown>, nodeName: trigger.name });
			endpoint = await startTriggerEndpoint(kombo);
			stub = await startKomboStub({
				nativeCourses: 0,
				...readSandboxSeed('completion-write-back-sandbox-seed.json'),
				now: () => stubNow,
				webhooks: { url: endpoint.url, secret: SECRET },
				webhookDebounceMs: NEVER_MS,
			});
			restoreClock = useRuntime(createFakeClock());
		});
		afterAll(async () => {
			restoreClock();
			await stub.close();
			await endpoint.close();
		});

		/** What the example's Get Many lists for one trigger item, with the credential on another integration. */
		const listFor = (item: Record<string, unknown>) =>
			runWorkflow({ nodeParameters: getMany.parameters as INodeParameters, items: [item], credentials: credentialsFor(stub, 'sandbox:second'), nodeName: getMany.name, typeVersion: getMany.typeVersion }).promise;
		const learnerId = (email: string) => stub.learner(DEMO, { workEmail: email })?.id as string;
		const revisionOf = (originId: string) => stub.courses(DEMO).find((each) => each.origin_id === originId)?.revisions.at(-1)?.id as string;
		const progressionOf = (email: string, originId: string) =>
			stub.progressions(DEMO).find((each) => each.user_id === learnerId(email) && each.course_revision.course.id === stub.courseId(DEMO, originId));

		/** Sends the data-changed event pending, and returns the one item the trigger started the workflow with. */
		async function nextEvent() {
			const before = endpoint.answers.length;
			const [delivery] = await stub.flushWebhooks();
			expect(delivery).toMatchObject({ type: 'data-changed', state: 'delivered', status: 200 });
			const answers = endpoint.answers.slice(before);
			expect(answers.map((each) => [each.answer.status, each.answer.started])).toEqual([[200, true]]);
			expect(answers[0].answer.items).toHaveLength(1);
			return answers[0].answer.items[0];
		}

		it('lists only the progressions changed since the previous event (everything on the first), of which the Filter passes the completed ones', async () => {
			// The seed's progressions changed days ago: ada in progress in CAT-001, grace's completion of CAT-002.
			const gracesCompletion = progressionOf('grace@example.com', 'CAT-002');
			stubNow = Date.now() - 60_000;
			expect((await enrol(stub, learnerId('alan@example.com'), revisionOf('CAT-003'))).status).toBe(200);

			const first = await nextEvent();
			expect(first).toMatchObject({ type: 'data-changed', integration_id: DEMO, changed_models: ['course_progressions'], updated_after: null });
			const full = await listFor(first);
			expect(full.error).toBeUndefined();
			expect(jsonOf(full.outputs[0]).map((json) => [json.work_email, json.origin_id, json.status])).toEqual(
				expect.arrayContaining([
					['ada@example.com', 'CAT-001', 'IN_PROGRESS'],
					['grace@example.com', 'CAT-002', 'COMPLETED'],
					['alan@example.com', 'CAT-003', expect.any(String)],
				]),
			);
			expect(jsonOf(full.outputs[0]).filter(passesFilter)).toEqual([
				{
					id: gracesCompletion?.id,
					status: 'COMPLETED',
					enrolled_at: '2026-01-05T09:00:00.000Z',
					completed_at: '2026-01-15T00:00:00.000Z',
					user_id: learnerId('grace@example.com'),
					work_email: 'grace@example.com',
					course_id: stub.courseId(DEMO, 'CAT-002'),
					origin_id: 'CAT-002',
					course_revision_id: gracesCompletion?.course_revision_id,
					remote_id: gracesCompletion?.remote_id,
				},
			]);
			expect(stub.progressionListings().map((request) => [request.query.updated_after, request.headers['x-integration-id']])).toEqual([[undefined, DEMO]]);

			// After the first event: ada completes CAT-001, katherine is enrolled in CAT-004.
			stubNow = Date.parse(first.received_at) + 1000;
			const adas = progressionOf('ada@example.com', 'CAT-001');
			expect((await complete(stub, adas?.id as string, { completed_at: '2026-04-14' })).status).toBe(200);
			expect((await enrol(stub, learnerId('katherine@example.com'), revisionOf('CAT-004'))).status).toBe(200);

			const second = await nextEvent();
			expect(second).toMatchObject({ integration_id: DEMO, updated_after: first.received_at });
			const changed = await listFor(second);
			expect(changed.error).toBeUndefined();
			expect(jsonOf(changed.outputs[0]).map((json) => [json.work_email, json.origin_id, json.status])).toEqual([
				['ada@example.com', 'CAT-001', 'COMPLETED'],
				['katherine@example.com', 'CAT-004', expect.not.stringMatching(/^COMPLETED$/)],
			]);
			expect(jsonOf(changed.outputs[0]).filter(passesFilter).map((json) => [json.id, json.work_email, json.origin_id, json.completed_at])).toEqual([
				[adas?.id, 'ada@example.com', 'CAT-001', '2026-04-14T00:00:00.000Z'],
			]);
			expect(stub.progressionListings().slice(1).map((request) => [request.query.updated_after, request.headers['x-integration-id']])).toEqual([[first.received_at, DEMO]]);
			expect(stub.violations).toEqual([]);
		});

		/** Posts what the endpoint received before, byte for byte, with its signature: a repeated delivery. */
		async function deliverAgain(index: number) {
			const before = endpoint.answers[index];
			const again = await fetch(endpoint.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Kombo-Signature': String(before.headers['x-kombo-signature']) }, body: before.raw });
			return { status: again.status, answer: endpoint.answers.at(-1)?.answer };
		}

		it('starts nothing when the first event is delivered again: its ID is in the trigger’s record', async () => {
			const { status, answer } = await deliverAgain(0);

			expect(status).toBe(200);
			expect(answer).toMatchObject({ started: false, body: { received: true, started: false, reason: 'this event was received before' } });
		});

		it('in n8n 2.41.1 keeps only that first record: a later event delivered again starts once more, and the next window still starts at the first event', async () => {
			// n8n builds a second Workflow over the same static data before saving it, which clears the
			// "changed" flag (see test/support/kombo-trigger.js); only the first save, over null, lands.
			const first = endpoint.answers[0].answer.items[0];
			const { status, answer } = await deliverAgain(1);

			expect(status).toBe(200);
			expect(answer?.started).toBe(true);
			expect(answer?.items[0]).toMatchObject({ event_id: endpoint.answers[1].answer.items[0].event_id, updated_after: first.received_at });
			expect(kombo.memory()).toEqual({ recentEventIds: [first.event_id], lastEventAt: { [DEMO]: first.received_at } });
		});
	});
});
