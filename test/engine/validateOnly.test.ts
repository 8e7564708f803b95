import { useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import { course, courses, jsonOf, pairedIndexes, posts, startKomboStub, upsert } from './fixtures';

describe('Create or Update → Validate Only', () => {
	let stub: Stub;
	let restoreClock: () => void;

	beforeAll(async () => {
		stub = await startKomboStub();
	});
	beforeEach(() => {
		restoreClock = useRuntime(createFakeClock());
	});
	afterEach(() => {
		restoreClock();
		expect(stub.violations).toEqual([]);
		stub.reset();
	});
	afterAll(async () => await stub.close());

	const messy = [
		{ origin_id: 1001, title: ' Fire safety ', course_url: 'https://lms.example.com/c/1001', duration: '45', languages: 'en, DE' },
		{ origin_id: '', title: '', course_url: 'lms.example.com/c/2', duration: '4.5', languages: 'zh-Hant' },
		{ origin_id: '1003', title: 'First aid', course_url: 'https://lms.example.com/c/1003' },
		{ origin_id: '1003', title: 'First aid again', course_url: 'https://lms.example.com/c/1003b' },
	];

	it('sends nothing, and outputs every item on the main output, paired: VALID with the exact course, INVALID with every problem', async () => {
		const result = await upsert({ stub, items: messy, options: { validateOnly: true } }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.error).toBeUndefined();
		expect(result.outputs).toHaveLength(1);
		expect(pairedIndexes(result.outputs[0])).toEqual([0, 1, 2, 3]);
		const [valid, invalid, first, second] = jsonOf(result.outputs[0]);
		expect(valid).toEqual({
			origin_id: '1001',
			status: 'VALID',
			course: { type: 'EXTERNAL', title: 'Fire safety', course_url: 'https://lms.example.com/c/1001', duration: 45, languages: ['en', 'de'] },
			integration_id: 'sandbox:demo',
		});
		expect(invalid).toEqual({
			origin_id: null,
			status: 'INVALID',
			problems: ['origin_id', 'title', 'course_url', 'duration', 'languages'].map((field) => ({ field, value: expect.anything(), message: expect.any(String), fix: expect.any(String) })),
		});
		expect((invalid.problems as Array<{ field: string; value: unknown }>).find((problem) => problem.field === 'duration')?.value).toBe('4.5');
		for (const duplicate of [first, second]) {
			expect(duplicate).toEqual({
				origin_id: '1003',
				status: 'INVALID',
				problems: [{ field: 'origin_id', value: '1003', message: expect.stringMatching(/"1003" is used by items 2 and 3 for integration sandbox:demo$/), fix: expect.stringContaining('Remove Duplicates') }],
			});
		}
	});

	it('outputs the very course body a real run sends', async () => {
		const rows = [course(1, { duration: 30.0, languages: 'en-us;fr', description: 'About' }), course(2, { thumbnail_url: '', languages: ['pt_br'] })];
		const report = await upsert({ stub, items: rows, options: { validateOnly: true } }).promise;
		expect(stub.requests).toEqual([]);
		await upsert({ stub, items: rows }).promise;

		expect(jsonOf(report.outputs[0]).map((json) => ({ origin_id: json.origin_id, course: json.course }))).toEqual(posts(stub)[0].body.items);
	});

	it('sends nothing even with Deactivate Courses Not in Input and Wait for Completion on', async () => {
		const result = await upsert({
			stub,
			items: courses(3),
			parameters: { waitForCompletion: true },
			options: { validateOnly: true, deactivateMissing: true, maxShareDeactivated: 100 },
		}).promise;

		expect(stub.requests).toEqual([]);
		expect(jsonOf(result.outputs[0]).map((json) => json.status)).toEqual(['VALID', 'VALID', 'VALID']);
	});

	it('reports an item whose integration cannot be read, naming why', async () => {
		const result = await upsert({
			stub,
			items: [course(0, { customer: 'sandbox:second' }), course(1, { customer: '' })],
			options: { validateOnly: true, integrationId: '={{ $json.customer }}' },
			integrationId: '',
		}).promise;

		expect(stub.requests).toEqual([]);
		expect(jsonOf(result.outputs[0])).toEqual([
			expect.objectContaining({ origin_id: 'course-0', status: 'VALID', integration_id: 'sandbox:second' }),
			{ origin_id: null, status: 'INVALID', problems: [{ field: null, value: null, message: 'No integration ID for this item', fix: expect.stringContaining('Integration ID option') }] },
		]);
	});
});
