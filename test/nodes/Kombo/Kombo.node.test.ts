import type { ILoadOptionsFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { repoFileExists } from '../../support/node-builtins';

import { KomboApi } from '../../../credentials/KomboApi.credentials';
import { CUSTOM_API_CALL_KEY, CUSTOM_API_CALL_NOTICE } from '../../../nodes/Kombo/actions/course';
import { Kombo } from '../../../nodes/Kombo/Kombo.node';

const description = new Kombo().description;

function property(name: string): INodeProperties {
	const found = description.properties.find((each) => each.name === name);
	if (!found) throw new Error(`no property ${name}`);
	return found;
}

const operations = property('operation').options as INodePropertyOptions[];

function shown(name: string, values: Record<string, string>): boolean {
	return NodeHelpers.displayParameter(values, property(name), { typeVersion: 1 }, description);
}

describe('Kombo node description', () => {
	it.each([
		['upsert', 'Create or Update', 'Create or update courses'],
		['getUpsertTask', 'Get Task Status', 'Get the status of a create or update task'],
		['getAll', 'Get Many', 'Get many courses'],
		['deactivate', 'Deactivate', 'Deactivate a course'],
	])('offers the operation %s as %p, action %p', (value, name, action) => {
		expect(operations.find((option) => option.value === value)).toMatchObject({ name, action });
	});

	it('describes the operations in terms of courses, in sentence case', () => {
		for (const option of operations) {
			expect(option.description).toMatch(/^[A-Z][^A-Z]*\b(course|Create or Update)/);
			expect(option.description).not.toMatch(/record/);
			expect(option.name).toMatch(/^([A-Z][a-z]*)( (or|[A-Z][a-z]*))*$/);
		}
	});

	it('names the operations in its subtitle as the list does, in sentence case', () => {
		expect(description.subtitle).toContain('"getUpsertTask" ? "Get task status"');
		expect(description.subtitle).toContain('"upsert" ? "Create or update courses"');
		expect(description.subtitle).toContain('"getAll" ? "Get many courses"');
		expect(description.subtitle).toContain('"deactivate" ? "Deactivate a course"');
		expect(description.subtitle).toContain('"Custom API call"');
	});

	describe('with the Custom API Call that n8n adds to the resource and operation lists', () => {
		it('says what the HTTP Request node needs when Custom API Call is the operation', () => {
			expect(shown('customApiCallNotice', { resource: 'course', operation: CUSTOM_API_CALL_KEY })).toBe(true);
			expect(shown('customApiCallResourceNotice', { resource: 'course', operation: CUSTOM_API_CALL_KEY })).toBe(false);
		});

		it('says it when Custom API Call is the resource', () => {
			expect(shown('customApiCallResourceNotice', { resource: CUSTOM_API_CALL_KEY, operation: 'upsert' })).toBe(true);
			expect(shown('customApiCallNotice', { resource: CUSTOM_API_CALL_KEY, operation: 'upsert' })).toBe(false);
		});

		it.each([['upsert'], ['getUpsertTask']])('says nothing of it for %s', (operation) => {
			expect(shown('customApiCallNotice', { resource: 'course', operation })).toBe(false);
			expect(shown('customApiCallResourceNotice', { resource: 'course', operation })).toBe(false);
		});

		it('names the credential setting, both base URLs and the integration header', () => {
			expect(CUSTOM_API_CALL_NOTICE).toContain('Predefined Credential Type');
			expect(CUSTOM_API_CALL_NOTICE).toContain('https://api.kombo.dev/v1/');
			expect(CUSTOM_API_CALL_NOTICE).toContain('https://api.us.kombo.dev/v1/');
			expect(CUSTOM_API_CALL_NOTICE).toContain('X-Integration-Id');
		});
	});
});

// Each test constructs the node itself, as n8n's loader does, so that each one exercises the description.
describe('Kombo node in the editor', () => {
	it('shows its light and dark icons, files that exist beside the package', () => {
		const { icon } = new Kombo().description;

		expect(icon).toEqual({ light: 'file:../../icons/kombo.svg', dark: 'file:../../icons/kombo.dark.svg' });
		// n8n resolves an icon's file against the folder of the node's file (nodes/Kombo).
		for (const file of Object.values(icon as Record<string, string>)) {
			expect(repoFileExists(`nodes/Kombo/${file.replace(/^file:/, '')}`)).toBe(true);
		}
	});

	it('sits in the output group and names a new node Kombo', () => {
		const { description } = new Kombo();

		expect(description.group).toEqual(['output']);
		expect(description.defaults).toEqual({ name: 'Kombo' });
	});

	it('offers itself to AI agents as a tool', () => {
		expect(new Kombo().description.usableAsTool).toBe(true);
	});

	it('takes one main input and gives one main output', () => {
		const { description } = new Kombo();

		expect(description.inputs).toEqual(['main']);
		expect(description.outputs).toEqual(['main']);
	});

	it('requires a Kombo API credential', () => {
		expect(new Kombo().description.credentials).toEqual([{ name: new KomboApi().name, required: true }]);
	});

	it('lists Course, Course Progression and User as its resources, chosen from the list and never by an expression', () => {
		const resource = new Kombo().description.properties.find((each) => each.name === 'resource');

		expect(resource).toMatchObject({ type: 'options', default: 'course', noDataExpression: true });
		expect(resource?.options).toEqual([
			{ name: 'Course', value: 'course' },
			{ name: 'Course Progression', value: 'courseProgression' },
			{ name: 'User', value: 'user' },
		]);
	});

	it.each([
		['courseProgression', 'complete', 'Complete', 'Complete a course progression'],
		['courseProgression', 'enroll', 'Enroll', 'Enroll a learner in a course'],
		['courseProgression', 'getAll', 'Get Many', 'Get many course progressions'],
		['user', 'getAll', 'Get Many', 'Get many learners'],
	])('offers %s → %s as %p, action %p, and names it in the subtitle', (resource, value, name, action) => {
		const list = new Kombo().description.properties.find((each) => each.name === 'operation' && each.displayOptions?.show?.resource?.includes(resource));
		expect((list?.options as INodePropertyOptions[]).find((option) => option.value === value)).toMatchObject({ name, action });
	});

	it('names the learner and completion operations in its subtitle', () => {
		const { subtitle } = new Kombo().description;
		expect(subtitle).toContain('"user" ? "Get many learners"');
		expect(subtitle).toContain('"complete" ? "Complete course progressions"');
		expect(subtitle).toContain('"enroll" ? "Enroll learners"');
		expect(subtitle).toContain(': "Get many course progressions")');
	});

	it('gives the Courses panel its fields through the method its resource mapper names', async () => {
		const node = new Kombo();
		const columns = node.description.properties.find((each) => each.name === 'columns');
		const methodName = columns?.typeOptions?.resourceMapper?.resourceMapperMethod as string;
		// As n8n's editor does: look the method up by that name and call it.
		const method = node.methods.resourceMapping[methodName as keyof typeof node.methods.resourceMapping];

		expect(method).toBeInstanceOf(Function);
		const { fields } = await method.call({} as ILoadOptionsFunctions);
		expect(fields.filter((field) => field.required).map((field) => field.id)).toEqual(['origin_id', 'title', 'course_url']);
	});
});
