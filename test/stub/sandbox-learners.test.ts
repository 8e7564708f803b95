import { parseArgs, seedFromJson } from '../../scripts/sandbox';
import type { KomboStub } from '../support/kombo-stub';
import { startSandboxProcess } from '../support/sandbox-process';
import { call, complete, enrol, listCourses, listProgressions, listUsers } from '../support/stub-client';

const SEED_FILE = require.resolve('./fixtures/sandbox-seed-learners.json');
const LIST_SEED_FILE = require.resolve('../../examples/nightly-catalogue-sandbox-seed.json');

describe('sandbox: learners, progressions and their seed', () => {
	it('holds 3 learners per LMS and refuses no completion unless told otherwise', () => {
		expect(parseArgs([])).toMatchObject({ learners: 3, refuseCompletion: [] });
		expect(parseArgs(['--learners', '0', '--refuse-completion', 'sandbox:demo, sandbox:second'])).toMatchObject({
			learners: 0,
			refuseCompletion: ['sandbox:demo', 'sandbox:second'],
		});
	});

	it('rejects a learner count that is not a whole number', () => {
		expect(() => parseArgs(['--learners', '2.5'])).toThrow(/--learners must be a whole number/);
		expect(() => parseArgs(['--learners', '-1'])).toThrow(/--learners must be a/);
		expect(() => parseArgs(['--refuse-completion'])).toThrow(/--refuse-completion needs a value/);
	});

	it('reads a seed file whose integrations hold a list of courses, as before', () => {
		const seed = parseArgs(['--seed', LIST_SEED_FILE]).seed!;

		expect(Object.keys(seed.courses)).toEqual(['sandbox:demo']);
		expect(seed.courses['sandbox:demo'].length).toBeGreaterThan(0);
		expect(seed.learners).toEqual({});
		expect(seed.progressions).toEqual({});
	});

	it('reads a seed file whose integrations hold courses, learners and progressions, mixed with the list form', () => {
		const seed = parseArgs(['--seed', SEED_FILE]).seed!;

		expect(seed.courses['sandbox:demo'].map((course) => course.origin_id)).toEqual(['CAT-1', 'CAT-2']);
		expect(seed.courses['sandbox:second'].map((course) => course.origin_id)).toEqual(['CAT-9']);
		expect(seed.learners).toEqual({ 'sandbox:demo': [expect.objectContaining({ work_email: 'linus@example.com' })] });
		expect(seed.progressions['sandbox:demo']).toHaveLength(2);
	});

	it.each([
		['a string', 'x', /expected an object of integration IDs/],
		['an integration holding a number', { 'sandbox:demo': 3 }, /"sandbox:demo" must be a list of courses or an object/],
		['an unknown part', { 'sandbox:demo': { courses: [], users: [] } }, /"sandbox:demo" has "users"; expected only "courses", "learners", "progressions"/],
		['learners that are not objects', { 'sandbox:demo': { learners: ['ada@example.com'] } }, /"sandbox:demo"\.learners must be a list of learner objects/],
		['a progression without a learner', { 'sandbox:demo': { progressions: [{ origin_id: 'CAT-1' }] } }, /progressions\[0\] names no learner/],
		['a progression without a course', { 'sandbox:demo': { progressions: [{ work_email: 'ada@example.com' }] } }, /progressions\[0\] names no course/],
	])('refuses a seed with %s, naming the file', (_case, json, message) => {
		expect(() => seedFromJson(json, 'seed.json')).toThrow(message);
		expect(() => seedFromJson(json, 'seed.json')).toThrow(/^--seed seed\.json: /);
	});

	it('npm run sandbox -- --seed FILE --learners 1 --refuse-completion serves the seeded learners and progressions, and says so', async () => {
		const sandbox = await startSandboxProcess(['--seed', SEED_FILE, '--learners', '1', '--refuse-completion', 'sandbox:second', '--port', '0', '--quiet']);
		try {
			const stub = { url: sandbox.url, apiKey: 'ks_dev_sandbox_key' } as unknown as KomboStub;
			const second = { integrationId: 'sandbox:second' };

			expect(sandbox.stdout()).toContain('each LMS holds 1 learner (ada@example.com) plus 1 seeded in sandbox:demo, and course progressions: 2 seeded in sandbox:demo');
			expect(sandbox.stdout()).toContain('plus 2 seeded in sandbox:demo, 1 seeded in sandbox:second');
			expect(sandbox.stdout()).toContain('these LMSs refuse completions: sandbox:second');

			const users = await listUsers(stub);
			expect(users.results.map((user) => user.work_email)).toEqual(['ada@example.com', 'linus@example.com']);
			const courses = (await listCourses(stub)).json.data.results;
			const cat1 = courses.find((course) => course.origin_id === 'CAT-1')!;
			const progressions = await listProgressions(stub, { course_ids: cat1.id });
			expect(progressions.results.map((progression) => [progression.user.work_email, progression.status, progression.completed_at])).toEqual([
				['linus@example.com', 'IN_PROGRESS', null],
				['ada@example.com', 'COMPLETED', '2026-01-15T00:00:00.000Z'],
			]);

			const completed = await complete(stub, progressions.results[0].id, { completed_at: '2026-02-01', score: 75 });
			expect(completed.json.data).toMatchObject({ status: 'COMPLETED', completed_at: '2026-02-01T00:00:00.000Z' });

			const secondUsers = await listUsers(stub, {}, second);
			expect(secondUsers.results.map((user) => user.work_email)).toEqual(['ada@example.com']);
			const cat9 = (await listCourses(stub, {}, second)).json.data.results.find((course) => course.origin_id === 'CAT-9')!;
			const enrolled = await enrol(stub, secondUsers.results[0].id, cat9.revisions[0].id, second);
			expect(enrolled.status).toBe(200);
			const refused = await complete(stub, enrolled.json.data.id, {}, second);
			expect([refused.status, refused.json.error.code]).toEqual([400, 'INTEGRATION.ACTION_NOT_AVAILABLE']);
			expect((await call(stub, 'GET', '/lms/users?work_email=ada@example.com')).status).toBe(400);
		} finally {
			expect(await sandbox.stop()).toBe(0);
		}
	});

	it('npm run sandbox -- --seed FILE stops with a clear message when a progression names a learner the LMS does not hold', async () => {
		await expect(startSandboxProcess(['--seed', SEED_FILE, '--learners', '0', '--port', '0', '--quiet'])).rejects.toThrow(
			/Could not start the sandbox: seed progression .*ada@example\.com.* in sandbox:demo: no such learner/,
		);
	});
});
