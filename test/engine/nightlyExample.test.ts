import type { INode, INodeParameters } from 'n8n-workflow';

import { useRuntime } from '../support/engine';
import { readExample } from '../support/examples';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { credentialsFor, deactivations, jsonOf, listings, pairedIndexes, runWorkflow, startKomboStub } from './fixtures';

const workflow = readExample('nightly-catalogue-sync.json') as { nodes: INode[]; connections: Record<string, unknown> };
const seed = readExample('nightly-catalogue-sandbox-seed.json');
const node = workflow.nodes.find((each) => each.type === 'n8n-nodes-kombo.kombo') as INode;
const catalogue = (JSON.parse(workflow.nodes.find((each) => each.name === 'Course Catalogue')?.parameters.jsonOutput as string) as { rows: Array<Record<string, string>> }).rows;

describe('examples/nightly-catalogue-sync.json', () => {
	let stub: Stub;
	let restoreClock: () => void;

	beforeAll(async () => {
		stub = await startKomboStub({ seedCourses: seed });
		restoreClock = useRuntime(createFakeClock());
	});
	afterAll(async () => {
		restoreClock();
		await stub.close();
	});

	it('is a nightly Schedule Trigger plus a Manual Trigger (for n8n execute) into the catalogue, then Create or Update previewing retirements, then an If on the status', () => {
		expect(workflow.nodes.map((each) => each.type)).toEqual([
			// First, so that a run of the whole workflow without a trigger to start from (n8n execute) starts here.
			'n8n-nodes-base.manualTrigger',
			'n8n-nodes-base.scheduleTrigger',
			'n8n-nodes-base.set',
			'n8n-nodes-base.splitOut',
			'n8n-nodes-kombo.kombo',
			'n8n-nodes-base.if',
			'n8n-nodes-base.noOp',
			'n8n-nodes-base.noOp',
		]);
		expect(node.parameters).toMatchObject({
			operation: 'upsert',
			waitForCompletion: true,
			options: { deactivateMissing: true, previewOnly: true, originIdPrefix: 'CAT-', maxShareDeactivated: 10 },
		});
		expect(Object.keys(workflow.connections)).toEqual(expect.arrayContaining(['Every Night at 2:00', 'When clicking ‘Execute workflow’']));
	});

	it('against its sandbox seed: syncs the catalogue and previews the two courses that left it, leaving the rest of the LMS alone', async () => {
		const result = await runWorkflow({ nodeParameters: node.parameters as INodeParameters, items: catalogue, credentials: credentialsFor(stub), nodeName: node.name }).promise;

		expect(result.error).toBeUndefined();
		const output = jsonOf(result.outputs[0]);
		expect(output.filter((json) => json.status === 'SUCCEEDED')).toHaveLength(catalogue.length);
		expect(output.filter((json) => json.status === 'WOULD_DEACTIVATE').map((json) => json.origin_id)).toEqual(['CAT-025', 'CAT-026']);
		expect(pairedIndexes(result.outputs[0]).slice(-2)).toEqual([0, 0]);
		expect(listings(stub).map((request) => request.query)).toEqual([{ page_size: '250', include_deleted: 'false' }]);
		expect(deactivations(stub)).toEqual([]);
		expect(stub.courses('sandbox:demo').every((course) => course.revisions.at(-1)?.status === 'ACTIVE')).toBe(true);
		expect(stub.violations).toEqual([]);
	});
});
