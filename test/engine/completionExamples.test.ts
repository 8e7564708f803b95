import type { INode, INodeParameters } from 'n8n-workflow';

import { useRuntime } from '../support/engine';
import { readExample, readSandboxSeed } from '../support/examples';
import { createFakeClock } from '../helpers/fake-clock';
import type { OnError, Stub } from './fixtures';
import { credentialsFor, jsonOf, pairedIndexes, runWorkflow, startKomboStub } from './fixtures';

const DEMO = 'sandbox:demo';
const DAY_MS = 24 * 60 * 60 * 1000;

interface Workflow {
	nodes: INode[];
	connections: Record<string, { main: Array<Array<{ node: string }>> }>;
}

const komboNodeOf = (workflow: Workflow) => workflow.nodes.find((each) => each.type === 'n8n-nodes-kombo.kombo') as INode;
const targets = (workflow: Workflow, from: string) => workflow.connections[from].main.map((output) => output.map((each) => each.node));

/** What n8n's Webhook node outputs for a JSON POST: the body under `body`, beside headers and query. */
const webhookCall = (body: Record<string, unknown>) => ({
	headers: { host: '127.0.0.1:5678', 'content-type': 'application/json' },
	params: {},
	query: {},
	body,
	webhookUrl: 'http://127.0.0.1:5678/webhook/kombo-completion',
	executionMode: 'production',
});

function runExampleNode(stub: Stub, node: INode, items: Array<Record<string, unknown>>) {
	return runWorkflow({
		nodeParameters: node.parameters as INodeParameters,
		items,
		credentials: credentialsFor(stub),
		onError: node.onError as OnError | undefined,
		nodeName: node.name,
		typeVersion: node.typeVersion,
	}).promise;
}

describe('examples/completion-write-back.json', () => {
	const workflow = readExample('completion-write-back.json') as Workflow;
	const node = komboNodeOf(workflow);
	let stub: Stub;
	let restoreClock: () => void;

	beforeAll(async () => {
		stub = await startKomboStub({ nativeCourses: 0, ...readSandboxSeed('completion-write-back-sandbox-seed.json') });
		restoreClock = useRuntime(createFakeClock());
	});
	afterEach(() => {
		const violations = [...stub.violations];
		const stats = stub.stats();
		stub.reset();
		expect(violations).toEqual([]);
		expect(stats).toMatchObject({ duplicateEnrolments: 0, recompletions: 0 });
	});
	afterAll(async () => {
		restoreClock();
		await stub.close();
	});

	const learnerId = (email: string) => stub.learner(DEMO, { workEmail: email })?.id;
	const progressionOf = (email: string, originId: string) =>
		stub.progressions(DEMO).find((each) => each.user_id === learnerId(email) && each.course_revision.course.id === stub.courseId(DEMO, originId));

	it('is a Webhook taking POSTs into Complete, learner by email and course by origin ID from the body, enrolling if needed, with an error output and an If on the status', () => {
		const webhook = workflow.nodes.find((each) => each.type === 'n8n-nodes-base.webhook') as INode;
		expect(webhook.parameters).toMatchObject({ httpMethod: 'POST' });
		expect(node.parameters).toMatchObject({
			resource: 'courseProgression',
			operation: 'complete',
			learnerEmail: '={{ $json.body.email }}',
			courseOriginId: '={{ $json.body.course }}',
			completedAt: '={{ $json.body.completed_at }}',
			score: '={{ $json.body.score }}',
			options: { enrollIfNeeded: true },
		});
		expect(node.onError).toBe('continueErrorOutput');
		expect(node.credentials?.komboApi?.name).toBe('Kombo sandbox');
		expect(targets(workflow, webhook.name)).toEqual([[node.name]]);
		const [[decide], [failed]] = targets(workflow, node.name);
		expect(targets(workflow, decide)).toEqual([['Tell Platform: Recorded'], ['Tell Platform: Already Recorded']]);
		expect(failed).toBe('Tell Platform: Not Recorded');
	});

	it('against its sandbox seed: completes, enrolls first where needed, leaves a completed course alone, and puts the unknown learner and course on the error output', async () => {
		const calls = [
			{ email: 'ada@example.com', course: 'CAT-001', completed_at: '2026-04-14', score: 93 },
			{ email: 'alan@example.com', course: 'CAT-003', completed_at: '2026-04-15T09:30:00+02:00', score: '88 %' },
			{ email: 'grace@example.com', course: 'CAT-002', completed_at: '2026-04-15', score: 75 },
			{ email: 'nobody@example.com', course: 'CAT-001', completed_at: '2026-04-15', score: 80 },
			{ email: 'katherine@example.com', course: 'CAT-404', completed_at: '2026-04-15' },
		];
		const adasEnrollment = progressionOf('ada@example.com', 'CAT-001');
		const gracesCompletion = progressionOf('grace@example.com', 'CAT-002');
		const result = await runExampleNode(stub, node, calls.map(webhookCall));

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map((json) => [json.work_email, json.origin_id, json.status, json.enrolled, json.completed_at, json.score])).toEqual([
			['ada@example.com', 'CAT-001', 'COMPLETED', false, '2026-04-14T00:00:00.000Z', 93],
			['alan@example.com', 'CAT-003', 'COMPLETED', true, '2026-04-15T07:30:00.000Z', 88],
			['grace@example.com', 'CAT-002', 'ALREADY_COMPLETED', false, '2026-01-15T00:00:00.000Z', null],
		]);
		expect(pairedIndexes(result.outputs[0])).toEqual([0, 1, 2]);
		expect(jsonOf(result.outputs[0])[0].course_progression_id).toBe(adasEnrollment?.id);
		expect(jsonOf(result.outputs[0])[2].course_progression_id).toBe(gracesCompletion?.id);

		const errors = jsonOf(result.outputs[1]);
		expect(pairedIndexes(result.outputs[1])).toEqual([3, 4]);
		expect(errors.map((json) => json.error)).toEqual([
			`'Learner Email' matches no learner in the integration ${DEMO}: "nobody@example.com" [item 3]`,
			`'Course Origin ID' matches no course in the integration ${DEMO}: "CAT-404" [item 4]`,
		]);
		expect(errors.map((json) => json.details)).toEqual([
			expect.objectContaining({ status: 'NOT_FOUND', field: 'Learner Email', value: 'nobody@example.com' }),
			expect.objectContaining({ status: 'NOT_FOUND', field: 'Course Origin ID', value: 'CAT-404' }),
		]);
		// What the example's "Tell Platform: Not Recorded" reads: the webhook's body under the reason.
		expect(errors[0]).toMatchObject({ body: calls[3] });

		expect(stub.enrolments().map((request) => request.body)).toEqual([{ user_id: learnerId('alan@example.com'), course_revision_id: expect.any(String) }]);
		expect(stub.completions().map((request) => request.body)).toEqual([
			{ completed_at: '2026-04-14', score: 93 },
			{ completed_at: '2026-04-15T07:30:00Z', score: 88 },
		]);
		expect(stub.completionsOf(DEMO).map((each) => each.progression_id)).toEqual([adasEnrollment?.id, progressionOf('alan@example.com', 'CAT-003')?.id]);
	});

	it('writes a completion once when the platform sends the same webhook twice: the second call comes out ALREADY_COMPLETED', async () => {
		const call = webhookCall({ email: 'alan@example.com', course: 'CAT-004', completed_at: '2026-04-15', score: 70 });
		const first = await runExampleNode(stub, node, [call]);
		const second = await runExampleNode(stub, node, [call]);

		expect(jsonOf(first.outputs[0]).map((json) => [json.status, json.enrolled, json.score])).toEqual([['COMPLETED', true, 70]]);
		expect(jsonOf(second.outputs[0]).map((json) => [json.status, json.enrolled, json.score, json.completed_at])).toEqual([['ALREADY_COMPLETED', false, null, '2026-04-15T00:00:00.000Z']]);
		expect(stub.stats()).toMatchObject({ enrolments: 1, completions: 1 });
	});

	it('puts a score the LMS cannot take on the error output, naming the field, and sends nothing for it', async () => {
		const result = await runExampleNode(stub, node, [webhookCall({ email: 'ada@example.com', course: 'CAT-001', score: 'A+' })]);

		expect(result.outputs[0]).toEqual([]);
		expect(jsonOf(result.outputs[1])).toEqual([
			expect.objectContaining({ error: `'Score' must be a number from 0 to 100, got "A+" [item 0]`, details: expect.objectContaining({ status: 'INVALID', field: 'Score' }) }),
		]);
		expect(stub.requests.filter((request) => request.method === 'POST')).toEqual([]);
	});
});

describe('examples/learner-sync.json', () => {
	const workflow = readExample('learner-sync.json') as Workflow;
	const node = komboNodeOf(workflow);
	let stub: Stub;
	let stubNow = Date.now();
	let restoreClock: () => void;

	beforeAll(async () => {
		stub = await startKomboStub({ nativeCourses: 0, now: () => stubNow });
		restoreClock = useRuntime(createFakeClock());
	});
	afterAll(async () => {
		restoreClock();
		await stub.close();
	});

	it('is a nightly Schedule Trigger (and a Manual Trigger) into User → Get Many of what changed in the last day, all of it, simplified, into a Set node', () => {
		expect(workflow.nodes.filter((each) => each.type !== 'n8n-nodes-base.stickyNote').map((each) => each.type)).toEqual([
			// First, so that a run of the whole workflow without a trigger to start from (n8n execute) starts here.
			'n8n-nodes-base.manualTrigger',
			'n8n-nodes-base.scheduleTrigger',
			'n8n-nodes-kombo.kombo',
			'n8n-nodes-base.set',
		]);
		expect(node.parameters).toMatchObject({ resource: 'user', operation: 'getAll', returnAll: true, filters: { updatedAfter: '={{ $now.minus({ days: 1 }) }}' }, simplify: true });
		expect(targets(workflow, node.name)).toEqual([['Learner Directory']]);
	});

	it('lists every learner changed in the last day, across pages, one flat item each, and none of the older ones', async () => {
		stubNow = Date.now() - 3 * DAY_MS;
		stub.reset();
		const old = stub.learners(DEMO);
		stubNow = Date.now();
		const recent = stub.seedLearners(
			DEMO,
			Array.from({ length: 260 }, (_, index) => ({ first_name: `First${index}`, last_name: `Last${index}`, work_email: `learner${index}@example.com` })),
		);
		const startedAt = Date.now();
		const result = await runExampleNode(stub, node, [{}]);

		expect(result.error).toBeUndefined();
		const listed = jsonOf(result.outputs[0]);
		expect(listed).toHaveLength(260);
		expect(listed[0]).toEqual({ id: recent[0].id, remote_id: recent[0].remote_id, first_name: 'First0', last_name: 'Last0', work_email: 'learner0@example.com', status: 'ACTIVE' });
		expect(listed.filter((json) => old.some((learner) => learner.id === json.id))).toEqual([]);
		const queries = stub.userListings().map((request) => request.query);
		expect(queries).toHaveLength(2);
		const since = Date.parse(queries[0].updated_after);
		expect(since).toBeGreaterThanOrEqual(startedAt - DAY_MS - 2000);
		expect(since).toBeLessThanOrEqual(Date.now() - DAY_MS + 1000);
		expect(queries[1]).toMatchObject({ updated_after: queries[0].updated_after, cursor: expect.any(String) });
		expect(stub.violations).toEqual([]);
	});
});
