import type { INodeProperties, INodePropertyOptions } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

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
