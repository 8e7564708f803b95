import type { KomboStub } from '../support/kombo-stub';
import { startKomboStub } from '../support/kombo-stub';
import { call, course, deactivate, listCourses, poll, upsert } from '../support/stub-client';

type Listed = { id: string; remote_id: string; origin_id: string | null; revisions: Array<{ title: string; status: string; remote_url: string | null }> };

describe('Kombo stub: the courses an LMS holds', () => {
	let stub: KomboStub;

	beforeAll(async () => {
		stub = await startKomboStub();
	});
	afterEach(() => stub.reset());
	afterAll(async () => await stub.close());

	/** Upserts and polls once, so the task completes and its courses exist. */
	async function upsertNow(items: unknown[], integrationId = 'sandbox:demo') {
		const response = await upsert(stub, items, { integrationId });
		const taskId = response.json.data.task_id;
		const polled = await poll(stub, taskId, { integrationId });
		expect(polled.json.data.status).toBe('COMPLETED');
		return polled.json.data.data ?? [];
	}

	/** Every course, page by page, following the cursor. */
	async function listAll(query: Record<string, string> = {}, integrationId = 'sandbox:demo') {
		const pages: Listed[][] = [];
		let cursor: string | null = null;
		do {
			const response = await listCourses(stub, { ...query, ...(cursor ? { cursor } : {}) }, { integrationId });
			expect(response.status).toBe(200);
			pages.push(response.json.data.results as unknown as Listed[]);
			cursor = response.json.data.next;
		} while (cursor);
		return pages;
	}

	it('holds a few courses per integration that were not created through the API (origin_id null)', async () => {
		const demo = await listCourses(stub);
		const second = await listCourses(stub, {}, { integrationId: 'sandbox:second' });

		expect(demo.status).toBe(200);
		expect(demo.json.status).toBe('success');
		expect(demo.json.data.next).toBeNull();
		expect(demo.json.data.results).toHaveLength(3);
		for (const listed of demo.json.data.results) {
			expect(listed).toEqual({
				id: expect.stringMatching(/^course_/),
				remote_id: expect.stringMatching(/^lms-\d+$/),
				origin_id: null,
				changed_at: expect.any(String),
				remote_deleted_at: null,
				revisions: [{ id: expect.any(String), remote_id: expect.any(String), title: expect.any(String), description: null, remote_url: expect.stringMatching(/^https:/), status: 'ACTIVE' }],
			});
		}
		const ids = (response: typeof demo) => response.json.data.results.map((listed) => listed.id);
		expect(ids(second)).toHaveLength(3);
		expect(ids(second).filter((id) => ids(demo).includes(id))).toEqual([]);
		expect(stub.violations).toEqual([]);
	});

	it('lists an upserted course under the ID its task reported, with its origin ID, a remote ID and a revision', async () => {
		const [result] = await upsertNow([course('c-1', { description: 'About c-1' })]);
		const listed = await listCourses(stub, { remote_ids: stub.course('sandbox:demo', { originId: 'c-1' })!.remote_id });

		expect(listed.json.data.results).toEqual([
			expect.objectContaining({
				id: (result as { data: { id: string } }).data.id,
				origin_id: 'c-1',
				revisions: [expect.objectContaining({ title: 'Course c-1', description: 'About c-1', remote_url: 'https://academy.example.com/c-1', status: 'ACTIVE' })],
			}),
		]);
	});

	it('adds a revision when an upsert changes a course, newest last, and none when nothing changed', async () => {
		await upsertNow([course('c-1')]);
		await upsertNow([course('c-1', { title: 'Renamed' })]);
		await upsertNow([course('c-1', { title: 'Renamed' })]);

		expect(stub.course('sandbox:demo', { originId: 'c-1' })!.revisions.map((revision) => revision.title)).toEqual(['Course c-1', 'Renamed']);
	});

	it('pages with page_size and an opaque cursor, listing every course exactly once, 100 a page by default', async () => {
		stub.seedCourses('sandbox:demo', Array.from({ length: 247 }, (_, index) => ({ origin_id: `seed-${index}`, title: `Seed ${index}` })));

		const bySeven = await listAll({ page_size: '7' });
		const byDefault = await listAll();

		expect(bySeven.map((page) => page.length)).toEqual([...Array(35).fill(7), 5]);
		const ids = bySeven.flat().map((listed) => listed.id);
		expect(new Set(ids).size).toBe(250);
		expect(byDefault.map((page) => page.length)).toEqual([100, 100, 50]);
		const first = await listCourses(stub, { page_size: '7' });
		expect(first.json.data.next).not.toMatch(/7|seed/);
		expect(stub.violations).toEqual([]);
	});

	it.each([['0'], ['251'], ['abc'], ['2.5'], ['']])('refuses page_size=%p as a contract violation', async (pageSize) => {
		const response = await listCourses(stub, { page_size: pageSize });

		expect(response.status).toBe(400);
		expect(response.json.error.code).toBe('PLATFORM.INPUT_INVALID');
		expect(response.json.error.message).toContain('page_size must be a whole number from 1 to 250');
		expect(stub.violations.map((violation) => violation.kind)).toEqual(['query']);
	});

	it('refuses a made-up cursor, a cursor sent with other filters, an unknown parameter and a date without a time zone', async () => {
		stub.seedCourses('sandbox:demo', Array.from({ length: 5 }, (_, index) => ({ origin_id: `s-${index}` })));
		const first = await listCourses(stub, { page_size: '2', include_deleted: 'false' });
		const cursor = first.json.data.next as string;

		const madeUp = await listCourses(stub, { cursor: 'abc' });
		const otherFilters = await listCourses(stub, { cursor, page_size: '2' });
		const unknown = await listCourses(stub, { origin_ids: 'x' });
		const naive = await listCourses(stub, { updated_after: '2026-01-31T00:00:00' });
		const sameFilters = await listCourses(stub, { cursor, page_size: '2', include_deleted: 'false' });

		expect([madeUp, otherFilters, unknown, naive].map((response) => response.status)).toEqual([400, 400, 400, 400]);
		expect(otherFilters.json.error.message).toContain('Send the same filters with every page');
		expect(naive.json.error.message).toContain('RFC 3339');
		expect(sameFilters.status).toBe(200);
		expect(stub.violations.map((violation) => violation.kind)).toEqual(['query', 'query', 'query', 'query']);
	});

	it('filters by ids, remote_ids, updated_after and include_deleted', async () => {
		let now = Date.parse('2026-01-01T00:00:00Z');
		const clocked = await startKomboStub({ now: () => now, nativeCourses: 0 });
		try {
			const [early, gone] = clocked.seedCourses('sandbox:demo', [{ origin_id: 'early' }, { origin_id: 'gone', deleted: true }]);
			now = Date.parse('2026-02-01T00:00:00Z');
			const [late] = clocked.seedCourses('sandbox:demo', [{ origin_id: 'late' }]);
			const origins = async (query: Record<string, string>) =>
				((await listCourses(clocked, query)).json.data.results as unknown as Listed[]).map((listed) => listed.origin_id);

			expect(await origins({})).toEqual(['early', 'late']);
			expect(await origins({ include_deleted: 'true' })).toEqual(['early', 'gone', 'late']);
			expect(await origins({ ids: `${late.id}, ${early.id}` })).toEqual(['early', 'late']);
			expect(await origins({ remote_ids: early.remote_id })).toEqual(['early']);
			expect(await origins({ ids: gone.id })).toEqual([]);
			expect(await origins({ updated_after: '2026-01-15T00:00:00+01:00' })).toEqual(['late']);
			expect(clocked.violations).toEqual([]);
		} finally {
			await clocked.close();
		}
	});

	it('deactivates a course by Kombo ID or remote:<id>, as a write, and again without complaint', async () => {
		await upsertNow([course('c-1'), course('c-2')]);
		const one = stub.course('sandbox:demo', { originId: 'c-1' })!;
		const two = stub.course('sandbox:demo', { originId: 'c-2' })!;

		const byId = await deactivate(stub, one.id);
		const byRemote = await deactivate(stub, `remote:${two.remote_id}`);
		const again = await deactivate(stub, one.id);

		for (const response of [byId, byRemote, again]) {
			expect(response.status).toBe(200);
			expect(response.json.status).toBe('success');
			expect(response.json.warnings).toEqual([]);
			expect(response.json.data.revisions.at(-1)?.status).toBe('INACTIVE');
		}
		expect(byId.json.data.id).toBe(one.id);
		expect(byRemote.json.data.id).toBe(two.id);
		expect(byId.headers.get('concurrency-remaining')).toBe('29');
		const listed = (await listCourses(stub, { ids: `${one.id},${two.id}` })).json.data.results;
		expect(listed.map((each) => each.revisions.at(-1)?.status)).toEqual(['INACTIVE', 'INACTIVE']);
		expect(stub.stats()).toMatchObject({ deactivations: 3, listings: 1 });
		expect(stub.violations).toEqual([]);
	});

	it('answers a deactivation of an unknown course with a 404 Kombo error, which the client may well send', async () => {
		const unknown = await deactivate(stub, 'course_doesNotExist');
		const otherIntegration = await deactivate(stub, stub.courses('sandbox:demo')[0].id, { integrationId: 'sandbox:second' });
		const unknownRemote = await deactivate(stub, 'remote:nope');

		for (const response of [unknown, otherIntegration, unknownRemote]) {
			expect(response.status).toBe(404);
			expect(response.json).toEqual({
				status: 'error',
				error: { code: 'PLATFORM.INPUT_INVALID', title: 'Invalid input', message: expect.stringContaining('Course not found'), log_url: expect.stringMatching(/^https:/) },
			});
		}
		expect(stub.violations).toEqual([]);
	});

	it('requires the body {} as JSON on a deactivation', async () => {
		const id = stub.courses('sandbox:demo')[0].id;
		const withFields = await call(stub, 'POST', `/lms/courses/${id}/deactivate`, { body: { reason: 'gone' } });
		const noBody = await call(stub, 'POST', `/lms/courses/${id}/deactivate`, { headers: { 'Content-Type': 'application/json' } });
		const notJson = await call(stub, 'POST', `/lms/courses/${id}/deactivate`, { rawBody: '{}' });

		expect([withFields, noBody, notJson].map((response) => response.status)).toEqual([400, 400, 400]);
		expect(stub.violations.map((violation) => violation.kind)).toEqual(['schema', 'schema', 'header']);
		expect(stub.course('sandbox:demo', id)!.revisions[0].status).toBe('ACTIVE');
	});

	it('starts from seeded courses after every reset, and an upsert of a seeded origin ID updates that course', async () => {
		const seeded = await startKomboStub({
			nativeCourses: 1,
			seedCourses: { 'sandbox:second': [{ origin_id: 'CAT-1', title: 'Old title', remote_url: 'https://lms.example.com/1', status: 'INACTIVE' }] },
		});
		try {
			const before = seeded.course('sandbox:second', { originId: 'CAT-1' })!;
			expect(before.revisions).toEqual([expect.objectContaining({ title: 'Old title', status: 'INACTIVE' })]);
			expect(seeded.courses('sandbox:second')).toHaveLength(2);

			const response = await upsert(seeded, [course('CAT-1')], { integrationId: 'sandbox:second' });
			const polled = await poll(seeded, response.json.data.task_id, { integrationId: 'sandbox:second' });
			expect(polled.json.data.data).toEqual([{ origin_id: 'CAT-1', status: 'SUCCEEDED', data: { id: before.id } }]);
			expect(seeded.course('sandbox:second', before.id)!.revisions.map((revision) => [revision.title, revision.status])).toEqual([
				['Old title', 'INACTIVE'],
				['Course CAT-1', 'ACTIVE'],
			]);

			seeded.reset();
			expect(seeded.course('sandbox:second', { originId: 'CAT-1' })!.revisions).toHaveLength(1);
			expect(seeded.courses('sandbox:demo')).toHaveLength(1);
		} finally {
			await seeded.close();
		}
	});
});
