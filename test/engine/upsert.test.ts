import { testCredential, useRuntime } from '../support/engine';
import { createFakeClock } from '../helpers/fake-clock';
import type { Stub } from './fixtures';
import {
	course,
	courses,
	credentialsFor,
	jsonOf,
	pairedIndexes,
	posts,
	startKomboStub,
	upsert,
} from './fixtures';

describe('Create or Update through n8n’s engine', () => {
	let stub: Stub;

	beforeAll(async () => {
		stub = await startKomboStub({ warnings: [{ message: 'Thumbnail will be ignored by this LMS' }] });
	});
	afterEach(() => {
		expect(stub.violations).toEqual([]);
		stub.reset();
	});
	afterAll(async () => await stub.close());

	it('sends one course and outputs its task, paired with the input', async () => {
		const result = await upsert({ stub, items: [course(1)] }).promise;

		expect(result.error).toBeUndefined();
		expect(posts(stub).map((request) => request.body)).toEqual([
			{
				items: [
					{
						origin_id: 'course-1',
						course: { type: 'EXTERNAL', title: 'Course 1', course_url: 'https://academy.example.com/courses/1' },
					},
				],
			},
		]);
		const taskId = posts(stub)[0].taskId;
		expect(result.outputs[0]).toEqual([
			{
				json: {
					origin_id: 'course-1',
					status: 'PENDING',
					course_id: null,
					task_id: taskId,
					integration_id: 'sandbox:demo',
					warnings: ['Thumbnail will be ignored by this LMS'],
				},
				pairedItem: { item: 0 },
			},
		]);
	});

	it('sends the credential’s key as a bearer token and its integration ID as a header', async () => {
		await upsert({ stub, items: [course(1)] }).promise;

		const [request] = posts(stub);
		expect(request.headers.authorization).toBe(`Bearer ${stub.apiKey}`);
		expect(request.headers['x-integration-id']).toBe('sandbox:demo');
		expect(request.headers['content-type']).toMatch(/^application\/json/);
	});

	it('splits 250 courses into 3 requests of at most 100 and pairs each output with its own input', async () => {
		const items = courses(250);
		const result = await upsert({ stub, items, options: { batchSize: 100 } }).promise;

		expect(posts(stub).map((request) => request.body.items.length).sort()).toEqual([100, 100, 50]);
		const output = result.outputs[0];
		expect(output).toHaveLength(250);
		expect(pairedIndexes(output)).toEqual(items.map((_, index) => index));
		expect(jsonOf(output).map((json) => json.origin_id)).toEqual(items.map((item) => item.origin_id));
		const taskOf = new Map(posts(stub).flatMap((request) => request.body.items.map((item: { origin_id: string }) => [item.origin_id, request.taskId])));
		for (const json of jsonOf(output)) expect(json.task_id).toBe(taskOf.get(json.origin_id as string));
	});

	it('cleans up messy spreadsheet rows into what the person meant', async () => {
		const rows = [
			{ origin_id: 1001, title: ' Fire safety ', course_url: 'https://lms.example.com/c/1001', duration: '45', languages: 'en, DE', thumbnail_url: '', description: '' },
			{ origin_id: '1002 ', title: 'First aid', course_url: 'https://lms.example.com/c/1002', duration: 30.0, languages: 'en-us;fr', thumbnail_url: null },
			{ origin_id: 1003, title: 'Ergonomics', course_url: 'https://lms.example.com/c/1003', duration: '', languages: ['pt_br'], description: 'Sit well', row_number: 7 },
		];
		await upsert({ stub, items: rows }).promise;

		expect(posts(stub)[0].body.items).toEqual([
			{
				origin_id: '1001',
				course: { type: 'EXTERNAL', title: 'Fire safety', course_url: 'https://lms.example.com/c/1001', duration: 45, languages: ['en', 'de'] },
			},
			{
				origin_id: '1002',
				course: { type: 'EXTERNAL', title: 'First aid', course_url: 'https://lms.example.com/c/1002', duration: 30, languages: ['en-US', 'fr'] },
			},
			{
				origin_id: '1003',
				course: { type: 'EXTERNAL', title: 'Ergonomics', course_url: 'https://lms.example.com/c/1003', description: 'Sit well', languages: ['pt-BR'] },
			},
		]);
	});

	it('maps fields defined below with expressions, once per item', async () => {
		const rows = [
			{ sku: 'A-1', name: 'Onboarding', link: 'https://lms.example.com/a1', minutes: '20', langs: 'en, de' },
			{ sku: 'A-2', name: 'Compliance', link: 'https://lms.example.com/a2', minutes: 60, langs: '' },
		];
		const columns = {
			mappingMode: 'defineBelow',
			value: {
				origin_id: '={{ $json.sku }}',
				title: '={{ $json.name }}',
				course_url: '={{ $json.link }}',
				duration: '={{ $json.minutes }}',
				languages: '={{ $json.langs }}',
				description: '={{ "Imported: " + $json.name }}',
			},
			matchingColumns: ['origin_id'],
			schema: ['origin_id', 'title', 'course_url', 'description', 'thumbnail_url', 'duration', 'languages'].map((id) => ({
				id,
				displayName: id,
				required: ['origin_id', 'title', 'course_url'].includes(id),
				defaultMatch: id === 'origin_id',
				display: true,
				type: 'string',
				canBeUsedToMatch: id === 'origin_id',
			})),
		};
		const result = await upsert({ stub, items: rows, parameters: { columns } }).promise;

		expect(result.error).toBeUndefined();
		expect(posts(stub)[0].body.items).toEqual([
			{
				origin_id: 'A-1',
				course: { type: 'EXTERNAL', title: 'Onboarding', course_url: 'https://lms.example.com/a1', description: 'Imported: Onboarding', duration: 20, languages: ['en', 'de'] },
			},
			{
				origin_id: 'A-2',
				course: { type: 'EXTERNAL', title: 'Compliance', course_url: 'https://lms.example.com/a2', description: 'Imported: Compliance', duration: 60 },
			},
		]);
	});

	it.each([
		['origin_id', { origin_id: '' }, 'Origin ID (origin_id) is required but empty'],
		['title', { title: '   ' }, 'Title is required but empty'],
		['course_url', { course_url: 'lms.example.com/c/1' }, 'Course URL (course_url) must be an absolute http(s) URL, got "lms.example.com/c/1"'],
		['thumbnail_url', { thumbnail_url: 'thumb.png' }, 'Thumbnail URL (thumbnail_url) must be an absolute http(s) URL, got "thumb.png"'],
		['duration', { duration: '4.5' }, 'Duration must be a whole number of minutes of at least 1, got "4.5"'],
		['duration', { duration: 0 }, 'Duration must be a whole number of minutes of at least 1, got 0'],
		['languages', { languages: 'en, zh-Hant' }, 'Languages holds "zh-Hant", which is not a language code Kombo accepts'],
	])('stops before sending anything when %s is bad, naming the item, field and value', async (_field, bad, message) => {
		const items = [course(0), course(1, bad), course(2)];
		const result = await upsert({ stub, items }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.outputs[0] ?? []).toEqual([]);
		expect(result.error.message).toBe(`Invalid course: ${message} [item 1]`);
		expect(result.error.description).toEqual(expect.stringContaining(message));
		expect(result.error.context.itemIndex).toBe(1);
	});

	it('rejects two items with the same origin ID for one integration, naming both', async () => {
		const items = [course(0), course(1), course(2, { origin_id: 'course-0' })];
		const result = await upsert({ stub, items }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.error.message).toBe(
			'Invalid course: Origin ID (origin_id) "course-0" is used by items 0 and 2 for integration sandbox:demo [item 0]',
		);
	});

	it('maps columns named as the panel labels them, or by common synonyms, whatever their case and spacing', async () => {
		const rows = [
			{ 'Origin ID': 'A-1', 'Course Title': 'Onboarding', 'Course URL': 'https://lms.example.com/a1', 'Duration (Minutes)': '20', Language: 'en' },
			{ id: 'A-2', name: 'Compliance', link: 'https://lms.example.com/a2', image: 'https://lms.example.com/a2.png', MINUTES: 60, Notes: 'ignored' },
		];
		const result = await upsert({ stub, items: rows }).promise;

		expect(result.error).toBeUndefined();
		expect(posts(stub)[0].body.items).toEqual([
			{ origin_id: 'A-1', course: { type: 'EXTERNAL', title: 'Onboarding', course_url: 'https://lms.example.com/a1', duration: 20, languages: ['en'] } },
			{ origin_id: 'A-2', course: { type: 'EXTERNAL', title: 'Compliance', course_url: 'https://lms.example.com/a2', thumbnail_url: 'https://lms.example.com/a2.png', duration: 60 } },
		]);
	});

	it('names both columns when two of them could be the same course field', async () => {
		const result = await upsert({ stub, items: [{ id: '1', 'Origin ID': '2', title: 'T', url: 'https://x.example.com' }] }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.error.message).toBe('Invalid course: The columns "id" and "Origin ID" both name Origin ID (origin_id); Map Automatically cannot tell which to use [item 0]');
		expect(result.error.description).toBe('Keep one of these columns, or rename the one to use to "origin_id": a column named exactly like the API field wins over the others. Or choose Map Each Column Manually.');
	});

	it('lists the row’s columns and the names it expects when no column is a course field', async () => {
		const result = await upsert({ stub, items: [{ SKU_code: 'x', Headline: 'y' }] }).promise;

		expect(result.error.message).toBe('Invalid course: no column of this item is a course field [item 0]');
		expect(result.error.description).toContain('The input item\'s fields are "SKU_code" and "Headline".');
		expect(result.error.description).toContain('Course URL or course_url');
	});

	it('numbers several problems of one item in one readable paragraph', async () => {
		const result = await upsert({ stub, items: [{ origin_id: 'x', title: '', course_url: 'nope', duration: 'soon' }] }).promise;

		expect(result.error.description).toMatch(/^1\) Title .+ 2\) Course URL \(course_url\) .+ 3\) Duration .+$/);
		expect(result.error.description).not.toContain('\n');
	});

	it('as an AI agent’s tool, waits 30 s by default and reports courses still pending instead of failing', async () => {
		const clock = createFakeClock();
		const restore = useRuntime(clock);
		try {
			stub.configure({ completeAfterPolls: 1_000 });
			const result = await upsert({ stub, items: courses(2), parameters: { waitForCompletion: true }, nodeFields: { rewireOutputLogTo: 'ai_tool' } }).promise;
			stub.configure({ completeAfterPolls: 0 });

			expect(result.error).toBeUndefined();
			// n8n logs a tool's output under its ai_tool connection instead of main.
			const logged = result.runData.Kombo[0].data as Record<string, Array<Array<{ json: Record<string, unknown> }>>>;
			expect(Object.keys(logged)).toEqual(['ai_tool']);
			expect(logged.ai_tool[0].map((item) => item.json.status)).toEqual(['PENDING', 'PENDING']);
			expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBe(30_000);
		} finally {
			restore();
		}
	});

	it('says where Custom API Call runs when the node is run with it', async () => {
		const result = await upsert({ stub, items: [course(1)], parameters: { operation: '__CUSTOM_API_CALL__' } }).promise;

		expect(result.error.message).toBe('Custom API Call runs in the HTTP Request node, not in this node');
		expect(result.error.description).toContain('Predefined Credential Type');
		expect(stub.requests).toEqual([]);
	});

	it.each([
		['Custom API Call as the resource (n8n then drops the operation)', { resource: '__CUSTOM_API_CALL__' }, 'Custom API Call runs in the HTTP Request node, not in this node'],
		['a resource it does not know', { resource: 'learner' }, 'The resource "learner" is not supported'],
		['an operation it does not know, such as one saved by a newer version of the node', { operation: 'archive' }, 'The operation "archive" of resource "course" is not supported'],
	])('sends nothing and says so for %s', async (_name, parameters, message) => {
		const result = await upsert({ stub, items: [course(1)], parameters }).promise;

		expect(result.error.message).toBe(message);
		expect(stub.requests).toEqual([]);
	});

	it.each([
		[0, 'got 0'],
		[1.5, 'got 1.5'],
		[1001, 'got 1001'],
		['={{ "all" }}', 'got "all"'],
	])('refuses a Batch Size of %p before looking at the items, saying what it takes', async (batchSize, got) => {
		const result = await upsert({ stub, items: [course(0), course(1, { title: '' })], options: { batchSize } }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.error.message).toBe(`The batch size must be a whole number from 1 to 1000, ${got}`);
		expect(result.error.description).toBe('Set Batch Size to e.g. 100.');
	});

	it('takes the largest Batch Size, 1000', async () => {
		const result = await upsert({ stub, items: courses(3), options: { batchSize: 1000 } }).promise;

		expect(result.error).toBeUndefined();
		expect(posts(stub).map((request) => request.body.items.length)).toEqual([3]);
	});

	it('says how many items are invalid and that nothing was sent, naming the first', async () => {
		const items = [course(0), course(1, { title: '' }), course(2), course(3, { course_url: 'nope' })];
		const result = await upsert({ stub, items }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.error.message).toMatch(/\[item 1\]$/);
		expect(result.error.description).toMatch(/\n2 of 4 items are invalid; nothing was sent to Kombo\.$/);
	});

	it('says how many batches Kombo had accepted before it rejected one, and that a rerun is safe', async () => {
		stub.configure({ latencyMs: 5 });
		stub.script((request) => (request.method === 'POST' && request.body.items[0].origin_id === 'course-4' ? { status: 400, code: 'PLATFORM.INPUT_INVALID', message: 'Bad batch' } : undefined));
		const result = await upsert({ stub, items: courses(6), options: { batchSize: 2 } }).promise;
		stub.configure({ latencyMs: 0 });

		expect(result.error.message).toBe('Bad batch');
		expect(result.error.description).toContain('2 of 3 batches had been accepted before this error. Running the node again is safe');
	});

	it('stops sending batches after the first one Kombo rejects', async () => {
		stub.script([{ match: { method: 'POST' }, status: 400, code: 'PLATFORM.INPUT_INVALID', message: 'Bad batch' }]);
		const result = await upsert({ stub, items: courses(20), options: { batchSize: 1 } }).promise;

		expect(result.error.message).toBe('Bad batch');
		// The first few go out together; after the rejection is known no batch starts.
		expect(posts(stub).length).toBeLessThanOrEqual(8);
	});

	it.each([
		['off', {}, false],
		['on', { deactivateMissing: true }, true],
	])('with Deactivate Courses Not in Input %s, says whether nothing was deactivated when Kombo rejects a batch', async (_state, options, noted) => {
		const restore = useRuntime(createFakeClock());
		try {
			stub.script([{ match: { method: 'POST' }, status: 400, code: 'PLATFORM.INPUT_INVALID', message: 'Bad batch' }]);
			const result = await upsert({ stub, items: courses(2), parameters: { waitForCompletion: true }, options }).promise;

			expect(result.error.message).toBe('Bad batch');
			expect(result.error.description).toContain('PLATFORM.INPUT_INVALID');
			expect(result.error.description.endsWith(' Nothing was deactivated (Deactivate Courses Not in Input): that needs a run in which every course succeeds.')).toBe(noted);
		} finally {
			restore();
		}
	});

	it('with Continue On Fail, sends the valid items and outputs each bad one as an error item paired with it', async () => {
		const items = [course(0), course(1, { duration: -5 }), course(2), course(3, { origin_id: 'course-2' }), course(4, { title: '' })];
		const result = await upsert({ stub, items, onError: 'continueRegularOutput' }).promise;

		expect(result.error).toBeUndefined();
		expect(posts(stub).flatMap((request) => request.body.items.map((item: { origin_id: string }) => item.origin_id))).toEqual(['course-0']);
		const output = result.outputs[0];
		expect(pairedIndexes(output)).toEqual([0, 1, 2, 3, 4]);
		expect(jsonOf(output).map((json) => json.status ?? (json.details as { status: string }).status)).toEqual([
			'PENDING',
			'INVALID',
			'INVALID',
			'INVALID',
			'INVALID',
		]);
		expect(output[1].json).toEqual({
			error: 'Invalid course: Duration must be a whole number of minutes of at least 1, got -5 [item 1]',
			details: expect.objectContaining({ item: 1, field: 'duration', value: -5 }),
		});
		expect(output[2].json.error).toContain('used by items 2 and 3');
	});

	it('with the error output, routes bad items there with the input row underneath', async () => {
		const items = [course(0), course(1, { course_url: 'nope' })];
		const result = await upsert({ stub, items, onError: 'continueErrorOutput' }).promise;

		expect(pairedIndexes(result.outputs[0])).toEqual([0]);
		expect(result.outputs[1]).toEqual([
			{
				json: expect.objectContaining({ ...items[1], error: expect.stringContaining('Course URL (course_url)') }),
				pairedItem: { item: 1 },
			},
		]);
	});

	it('groups items by the integration an expression gives, then batches each group', async () => {
		const items = courses(5, (index) => ({ customer: index % 2 === 0 ? 'sandbox:demo' : 'sandbox:second' }));
		const result = await upsert({
			stub,
			items,
			options: { integrationId: '={{ $json.customer }}', batchSize: 2 },
			integrationId: 'sandbox:unused',
		}).promise;

		expect(result.error).toBeUndefined();
		const sent = posts(stub).map((request) => [
			request.headers['x-integration-id'],
			request.body.items.map((item: { origin_id: string }) => item.origin_id),
		]);
		expect(sent).toEqual(
			expect.arrayContaining([
				['sandbox:demo', ['course-0', 'course-2']],
				['sandbox:demo', ['course-4']],
				['sandbox:second', ['course-1', 'course-3']],
			]),
		);
		expect(sent).toHaveLength(3);
		expect(jsonOf(result.outputs[0]).map((json) => json.integration_id)).toEqual(items.map((item) => (item as { customer?: string }).customer));
	});

	it('sends every item to a fixed integration ID set in the options instead of the credential’s', async () => {
		const result = await upsert({ stub, items: courses(3), options: { integrationId: 'sandbox:second' }, integrationId: 'sandbox:unused' }).promise;

		expect(result.error).toBeUndefined();
		expect(posts(stub).map((request) => request.headers['x-integration-id'])).toEqual(['sandbox:second']);
		expect(jsonOf(result.outputs[0]).map((json) => json.integration_id)).toEqual(Array(3).fill('sandbox:second'));
	});

	it.each([
		['a fixed Integration ID', ' sandbox:second '],
		['an Integration ID expression', '={{ $json.customer }}'],
	])('trims the spaces around %s', async (_kind, integrationId) => {
		const items = courses(2, () => ({ customer: ' sandbox:second ' }));
		const result = await upsert({ stub, items, options: { integrationId }, integrationId: 'sandbox:unused' }).promise;

		expect(result.error).toBeUndefined();
		expect(jsonOf(result.outputs[0]).map((json) => json.integration_id)).toEqual(['sandbox:second', 'sandbox:second']);
		expect(posts(stub).map((request) => request.headers['x-integration-id'])).toEqual(['sandbox:second']);
	});

	it('names an item without an integration ID once, whatever the length of its number', async () => {
		const items = courses(12, (index) => (index === 10 ? {} : { customer: 'sandbox:demo' }));
		const result = await upsert({ stub, items, options: { integrationId: '={{ $json.customer }}' }, integrationId: '' }).promise;

		expect(stub.requests).toEqual([]);
		expect(result.error.message).toBe('No integration ID for this item [item 10]');
		expect(result.error.description).toContain('Enter the integration ID in the Kombo credential');
	});

	it('turns Kombo’s error envelope into an error with Kombo’s message, code and log link', async () => {
		const result = await upsert({ stub, items: [course(1)], integrationId: 'sandbox:unknown' }).promise;

		expect(result.error.message).toMatch(/integration/i);
		expect(result.error.description).toContain('PLATFORM.INTEGRATION_NOT_FOUND');
		expect(result.error.description).toContain('https://app.kombo.dev/');
		expect(result.error.httpCode).toBe('404');
		expect(stub.violations.map((violation) => violation.code)).toEqual(['PLATFORM.INTEGRATION_NOT_FOUND']);
		stub.reset();
	});
});

describe('Kombo credential test', () => {
	let stub: Stub;

	beforeAll(async () => {
		stub = await startKomboStub();
	});
	afterAll(async () => await stub.close());

	it('calls GET /check-api-key on the custom base URL with the bearer key and succeeds', async () => {
		const result = await testCredential({ credentials: { ...credentialsFor(stub), baseUrl: `${stub.url}/` } });

		expect(result.result.status).toBe('OK');
		expect(result.method).toBe('GET');
		expect(result.url).toBe(`${stub.url}/check-api-key`);
		expect(result.headers.Authorization).toBe(`Bearer ${stub.apiKey}`);
	});

	it('says what to fix when Kombo rejects the key', async () => {
		const result = await testCredential({ credentials: { ...credentialsFor(stub), apiKey: 'ks_dev_wrong' } });

		expect(result.status).toBe(401);
		expect(result.result).toEqual({ status: 'Error', message: expect.stringContaining('Copy a key from the Kombo dashboard') });
	});
});
