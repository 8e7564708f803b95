import { createHmac } from 'crypto';

import { parseArgs } from '../../scripts/sandbox';
import type { KomboStub } from '../support/kombo-stub';
import { startKomboStub } from '../support/kombo-stub';
import { retryDelayMs } from '../support/kombo-webhooks';
import { startSandboxProcess } from '../support/sandbox-process';
import { complete, course, deactivate, enrol, listCourses, listUsers, poll, upsert } from '../support/stub-client';
import type { ReceivedWebhook, WebhookReceiver } from '../support/webhook-receiver';
import { startWebhookReceiver } from '../support/webhook-receiver';

const SECRET = 'whsec_test_secret';
const DEMO = 'sandbox:demo';
const SECOND = 'sandbox:second';
// Long enough that only flushWebhooks() sends: no test depends on how fast the machine is.
const NEVER_MS = 10 * 60_000;

const sign = (raw: Buffer, secret = SECRET) => createHmac('sha256', secret).update(raw).digest('base64url');
const namesOf = (hook: ReceivedWebhook) => (hook.json.data.changed_models as Array<{ name: string }>).map((model) => model.name);

describe('Kombo stub: webhooks', () => {
	let receiver: WebhookReceiver;
	let stub: KomboStub;

	beforeAll(async () => {
		receiver = await startWebhookReceiver();
		stub = await startKomboStub({
			webhooks: { url: receiver.url, secret: SECRET },
			webhookDebounceMs: NEVER_MS,
			webhookRetryDelayMs: NEVER_MS,
		});
	});
	afterEach(async () => {
		await stub.flushWebhooks();
		stub.reset();
		receiver.clear();
	});
	afterAll(async () => {
		await stub.close();
		await receiver.close();
	});

	const firstLearner = (integrationId = DEMO) => stub.learners(integrationId)[0];
	const firstRevision = (integrationId = DEMO) => stub.courses(integrationId)[0].revisions[0];

	async function upsertAndComplete(items: unknown[]) {
		const posted = await upsert(stub, items);
		expect(posted.status).toBe(200);
		const polled = await poll(stub, posted.json.data.task_id);
		expect(polled.json.data.status).toBe('COMPLETED');
		return polled.json.data;
	}

	describe('data-changed after a change', () => {
		it('sends one data-changed event naming lms_courses and lms_course_revisions once an upsert task completes, and none before', async () => {
			const posted = await upsert(stub, [course('CAT-1'), course('CAT-2')]);

			expect(stub.pendingWebhookChanges()).toEqual({});
			await poll(stub, posted.json.data.task_id);
			expect(stub.pendingWebhookChanges()).toEqual({ [DEMO]: ['lms_courses', 'lms_course_revisions'] });
			expect(receiver.received).toEqual([]);

			const delivered = await stub.flushWebhooks();

			expect(receiver.received).toHaveLength(1);
			const [hook] = receiver.received;
			expect(hook.json).toEqual({
				id: expect.stringMatching(/^evt_[A-Za-z0-9]{24}$/),
				type: 'data-changed',
				data: {
					integration_id: DEMO,
					integration_tool: 'sandbox',
					integration_category: 'LMS',
					changed_models: [{ name: 'lms_courses' }, { name: 'lms_course_revisions' }],
				},
			});
			expect(Object.keys(hook.json)).toEqual(['id', 'type', 'data']);
			expect(delivered).toEqual([expect.objectContaining({ id: hook.json.id, type: 'data-changed', integrationId: DEMO, state: 'delivered', status: 200, attempts: 1 })]);
			expect(stub.pendingWebhookChanges()).toEqual({});
		});

		it('sends data-changed for a task forced to completion, and for an update that adds a revision', async () => {
			await upsertAndComplete([course('CAT-1')]);
			await stub.flushWebhooks();
			const posted = await upsert(stub, [course('CAT-1', { title: 'Renamed' })]);
			stub.completeTask(posted.json.data.task_id);
			await stub.flushWebhooks();

			expect(receiver.received.map(namesOf)).toEqual([
				['lms_courses', 'lms_course_revisions'],
				['lms_courses', 'lms_course_revisions'],
			]);
		});

		it('sends nothing for a task whose courses all failed, a task that failed as a whole, or an upsert that changed nothing', async () => {
			stub.configure({ failOriginIds: ['BAD-1'] });
			await upsertAndComplete([course('BAD-1')]);
			stub.configure({ taskBehaviour: () => ({ failTask: true }) });
			const failed = await upsert(stub, [course('CAT-9')]);
			expect((await poll(stub, failed.json.data.task_id)).json.data.status).toBe('FAILED');
			expect(stub.pendingWebhookChanges()).toEqual({});
			stub.configure({ taskBehaviour: undefined });
			await upsertAndComplete([course('CAT-1')]);
			await stub.flushWebhooks();
			receiver.clear();

			// The same course again, in a new body (BAD-1 makes it one): nothing about CAT-1 changes.
			await upsertAndComplete([course('CAT-1'), course('BAD-1')]);

			expect(stub.pendingWebhookChanges()).toEqual({});
			expect(await stub.flushWebhooks()).toEqual([]);
			expect(receiver.received).toEqual([]);
		});

		it('sends lms_courses and lms_course_revisions after a deactivation, and nothing for deactivating an inactive course again', async () => {
			const courseId = stub.courses(DEMO)[0].id;

			expect((await deactivate(stub, courseId)).status).toBe(200);
			await stub.flushWebhooks();
			expect((await deactivate(stub, courseId)).status).toBe(200);
			await stub.flushWebhooks();

			expect(receiver.received.map(namesOf)).toEqual([['lms_courses', 'lms_course_revisions']]);
		});

		it('sends lms_course_progressions after an enrollment and after a completion', async () => {
			const enrolled = await enrol(stub, firstLearner().id, firstRevision().id);
			expect(enrolled.status).toBe(200);
			await stub.flushWebhooks();
			expect((await complete(stub, enrolled.json.data.id, { score: 90 })).status).toBe(200);
			await stub.flushWebhooks();

			expect(receiver.received.map((hook) => [hook.json.data.integration_id, namesOf(hook)])).toEqual([
				[DEMO, ['lms_course_progressions']],
				[DEMO, ['lms_course_progressions']],
			]);
		});

		it('sends nothing for writes the API refused', async () => {
			expect((await enrol(stub, 'user_missing', firstRevision().id)).status).toBe(404);
			expect((await complete(stub, 'progression_missing')).status).toBe(404);
			expect((await deactivate(stub, 'course_missing')).status).toBe(404);
			expect((await upsert(stub, [{ origin_id: 'X' }])).status).toBe(400);

			expect(stub.pendingWebhookChanges()).toEqual({});
			expect(await stub.flushWebhooks()).toEqual([]);
		});

		it('sends nothing for seeds: they are where the story starts, not changes', async () => {
			stub.seedCourses(DEMO, [{ origin_id: 'SEED-1', title: 'Seeded', remote_url: 'https://academy.example.com/seed-1' }]);
			stub.seedLearners(DEMO, [{ first_name: 'Linus', last_name: 'Torvalds', work_email: 'linus@example.com' }]);
			stub.seedProgressions(DEMO, [{ work_email: 'linus@example.com', origin_id: 'SEED-1', status: 'ENROLLED' }]);

			expect(stub.pendingWebhookChanges()).toEqual({});
			expect(await stub.flushWebhooks()).toEqual([]);
		});

		it('sends a change the LMS made on its own, queued by hand, such as new learners', async () => {
			stub.queueDataChanged(DEMO, ['lms_users']);
			await stub.flushWebhooks();

			expect(receiver.received.map(namesOf)).toEqual([['lms_users']]);
		});
	});

	describe('batching', () => {
		it('collects the changes of one window into one event per integration, models named once, in Kombo’s order', async () => {
			const enrolled = await enrol(stub, firstLearner().id, firstRevision().id);
			await complete(stub, enrolled.json.data.id);
			await upsertAndComplete([course('CAT-1')]);
			stub.queueDataChanged(DEMO, ['lms_users']);
			await enrol(stub, firstLearner(SECOND).id, firstRevision(SECOND).id, { integrationId: SECOND });

			expect(stub.pendingWebhookChanges()).toEqual({
				[DEMO]: ['lms_users', 'lms_courses', 'lms_course_revisions', 'lms_course_progressions'],
				[SECOND]: ['lms_course_progressions'],
			});
			const delivered = await stub.flushWebhooks();

			expect(delivered.map((delivery) => delivery.integrationId)).toEqual([DEMO, SECOND]);
			expect(receiver.received.map((hook) => [hook.json.data.integration_id, namesOf(hook)])).toEqual([
				[DEMO, ['lms_users', 'lms_courses', 'lms_course_revisions', 'lms_course_progressions']],
				[SECOND, ['lms_course_progressions']],
			]);
		});

		it('starts a new batch after a flush', async () => {
			stub.queueDataChanged(DEMO, ['lms_courses']);
			await stub.flushWebhooks();
			stub.queueDataChanged(DEMO, ['lms_users']);
			await stub.flushWebhooks();

			expect(receiver.received.map(namesOf)).toEqual([['lms_courses'], ['lms_users']]);
		});

		it('sends the batch by itself when its window closes, without a flush', async () => {
			stub.configure({ webhookDebounceMs: 0 });
			stub.queueDataChanged(DEMO, ['lms_users']);
			stub.queueDataChanged(DEMO, ['lms_courses']);

			const [hook] = await receiver.waitFor(1);

			expect(namesOf(hook)).toEqual(['lms_users', 'lms_courses']);
		});

		it('gives every event an ID of its own', async () => {
			for (const models of [['lms_users'], ['lms_courses'], ['lms_course_progressions']]) {
				stub.queueDataChanged(DEMO, models);
				await stub.flushWebhooks();
			}
			await stub.sendWebhook('sync-finished');

			const ids = receiver.received.map((hook) => hook.json.id);
			expect(new Set(ids).size).toBe(4);
			for (const id of ids) expect(id).toMatch(/^evt_[A-Za-z0-9]{24}$/);
		});
	});

	describe('signature', () => {
		it('signs the exact bytes sent: HMAC-SHA256 keyed with the secret, base64url without padding', async () => {
			stub.queueDataChanged(DEMO, ['lms_courses']);
			const [delivery] = await stub.flushWebhooks();
			const [hook] = receiver.received;

			const header = hook.headers['x-kombo-signature'];
			expect(header).toBe(sign(hook.raw));
			expect(header).toMatch(/^[A-Za-z0-9_-]{43}$/);
			expect(header).not.toBe(sign(hook.raw, 'another secret'));
			expect(hook.raw.toString('utf8')).toBe(delivery.body);
			expect(delivery.signature).toBe(header);
			expect(hook.headers['content-type']).toBe('application/json');
			expect(hook.method).toBe('POST');
			expect(hook.path).toBe(new URL(receiver.url).pathname);
		});

		it('signs bytes beyond ASCII as sent (UTF-8), so a receiver that re-serialises would not match', async () => {
			const delivery = await stub.sendWebhook('sync-finished', { note: 'Grüße – 学习' });
			const [hook] = receiver.received;

			expect(hook.raw.equals(Buffer.from(delivery.body, 'utf8'))).toBe(true);
			expect(hook.headers['x-kombo-signature']).toBe(sign(hook.raw));
			expect(hook.json.data.note).toBe('Grüße – 学习');
		});

		it('uses the secret of the moment: after configure, the new one', async () => {
			stub.configure({ webhooks: { url: receiver.url, secret: 'rotated' } });
			await stub.sendWebhook('sync-finished');

			expect(receiver.received[0].headers['x-kombo-signature']).toBe(sign(receiver.received[0].raw, 'rotated'));
		});
	});

	describe('retries', () => {
		it('retries a delivery answered 500 with the same event ID, body and signature, and records every attempt', async () => {
			receiver.answerWith(500);
			stub.queueDataChanged(DEMO, ['lms_courses']);

			const [delivery] = await stub.flushWebhooks();

			expect(receiver.received.map((hook) => hook.answered)).toEqual([500, 200]);
			const [first, second] = receiver.received;
			expect(second.raw.equals(first.raw)).toBe(true);
			expect(second.json.id).toBe(first.json.id);
			expect(second.headers['x-kombo-signature']).toBe(first.headers['x-kombo-signature']);
			expect(delivery).toMatchObject({ id: first.json.id, state: 'delivered', status: 200, attempts: 2 });
			expect(delivery.attemptLog.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
				[1, 500],
				[2, 200],
			]);
			expect(stub.webhookDeliveries()).toEqual([delivery]);
		});

		it('gives up after 2 retries by default, keeping the last status', async () => {
			receiver.answerWith(503, 500, 502);
			stub.queueDataChanged(DEMO, ['lms_courses']);

			const [delivery] = await stub.flushWebhooks();

			expect(receiver.received).toHaveLength(3);
			expect(new Set(receiver.received.map((hook) => hook.json.id)).size).toBe(1);
			expect(delivery).toMatchObject({ state: 'failed', status: 502, attempts: 3 });
			expect(stub.stats()).toMatchObject({ webhooks: 1, webhooksFailed: 1 });
		});

		it.each([
			[0, 1],
			[4, 5],
		])('with webhookRetries %i, makes %i attempts at most', async (retries, attempts) => {
			stub.configure({ webhookRetries: retries });
			receiver.answerWith(...Array.from({ length: 10 }, () => 500));
			stub.queueDataChanged(DEMO, ['lms_courses']);

			const [delivery] = await stub.flushWebhooks();

			expect(delivery).toMatchObject({ state: 'failed', attempts });
			expect(receiver.received).toHaveLength(attempts);
		});

		it('treats a redirect or a 4xx as a failure too', async () => {
			receiver.answerWith(302, 401);
			// flushWebhooks cuts the retry waits of a delivery sent by hand short too.
			const [delivery] = await Promise.all([stub.sendWebhook('sync-finished'), stub.flushWebhooks()]);

			expect(receiver.received.map((hook) => hook.answered)).toEqual([302, 401, 200]);
			expect(delivery).toMatchObject({ state: 'delivered', attempts: 3 });
		});

		it('retries a delivery that found nobody listening, recording the network error', async () => {
			const gone = await startWebhookReceiver();
			const url = gone.url;
			await gone.close();
			stub.configure({ webhooks: { url, secret: SECRET } });
			stub.queueDataChanged(DEMO, ['lms_courses']);

			const [delivery] = await stub.flushWebhooks();

			expect(delivery).toMatchObject({ state: 'failed', status: null, attempts: 3 });
			expect(delivery.attemptLog.map((attempt) => attempt.error)).toEqual(['ECONNREFUSED', 'ECONNREFUSED', 'ECONNREFUSED']);
		});

		it('waits webhookRetryDelayMs before the first retry, then twice as long each time', () => {
			expect([1, 2, 3].map((retry) => retryDelayMs(retry, 500))).toEqual([500, 1000, 2000]);
			expect(retryDelayMs(1, -5)).toBe(0);
		});
	});

	describe('sendWebhook', () => {
		it('sends sync-finished with Kombo’s fields filled in, resolving with the delivery', async () => {
			const delivery = await stub.sendWebhook('sync-finished', {}, { integrationId: SECOND });

			expect(receiver.received).toHaveLength(1);
			const { json } = receiver.received[0];
			expect(json).toEqual({
				id: delivery.id,
				type: 'sync-finished',
				data: {
					sync_id: expect.stringMatching(/^sync_[A-Za-z0-9]+$/),
					sync_state: 'SUCCEEDED',
					sync_started_at: expect.any(String),
					sync_ended_at: expect.any(String),
					sync_duration_seconds: 30,
					integration_id: SECOND,
					integration_tool: 'sandbox',
					integration_category: 'LMS',
					end_user: { organization_name: expect.any(String), creator_email: expect.any(String), origin_id: expect.any(String) },
					log_url: expect.stringMatching(/^https:\/\//),
				},
			});
			expect(Date.parse(json.data.sync_ended_at) - Date.parse(json.data.sync_started_at)).toBe(30_000);
			expect(delivery).toMatchObject({ type: 'sync-finished', integrationId: SECOND, state: 'delivered', status: 200, attempts: 1 });
		});

		it('lets the data given override the defaults, field by field, and defaults to the first integration', async () => {
			await stub.sendWebhook('sync-finished', { sync_state: 'PARTIALLY_FAILED', sync_id: 'sync_fixed' });

			expect(receiver.received[0].json.data).toMatchObject({ sync_state: 'PARTIALLY_FAILED', sync_id: 'sync_fixed', integration_id: DEMO });
		});

		it('stamps sync times with the stub clock', async () => {
			const now = Date.parse('2026-03-02T09:00:00Z');
			stub.configure({ now: () => now });
			await stub.sendWebhook('sync-finished');

			expect(receiver.received[0].json.data).toMatchObject({ sync_started_at: '2026-03-02T08:59:30.000Z', sync_ended_at: '2026-03-02T09:00:00.000Z' });
		});

		it.each([
			['integration-created', ['id', 'tool', 'category', 'end_user']],
			['integration-deleted', ['id', 'tool', 'category', 'end_user', 'deleted_at']],
			['integration-state-changed', ['integration_id', 'integration_tool', 'integration_category', 'end_user', 'qa_status', 'setup_status', 'state', 'updated_at']],
			['connection-flow-failed', ['integration_tool', 'integration_category', 'end_user', 'log_url']],
			['data-changed', ['integration_id', 'integration_tool', 'integration_category', 'changed_models']],
			['something-new', ['anything']],
		])('sends %s with the fields Kombo documents', async (type, keys) => {
			await stub.sendWebhook(type, type === 'something-new' ? { anything: true } : {});

			expect(receiver.received[0].json.type).toBe(type);
			expect(Object.keys(receiver.received[0].json.data)).toEqual(keys);
			expect(receiver.received[0].headers['x-kombo-signature']).toBe(sign(receiver.received[0].raw));
		});

		it('refuses to send without a webhook target', async () => {
			stub.configure({ webhooks: undefined });

			await expect(stub.sendWebhook('sync-finished')).rejects.toThrow(/No webhook target/);
		});
	});

	describe('configuration', () => {
		it('drops the changes pending when webhooks are turned off, and notes none while off', async () => {
			stub.queueDataChanged(DEMO, ['lms_courses']);
			stub.configure({ webhooks: undefined });
			await enrol(stub, firstLearner().id, firstRevision().id);

			expect(stub.pendingWebhookChanges()).toEqual({});
			expect(await stub.flushWebhooks()).toEqual([]);
			expect(receiver.received).toEqual([]);
		});

		it('forgets deliveries and pending changes on reset', async () => {
			await stub.sendWebhook('sync-finished');
			stub.queueDataChanged(DEMO, ['lms_courses']);
			stub.reset();

			expect(stub.webhookDeliveries()).toEqual([]);
			expect(stub.pendingWebhookChanges()).toEqual({});
			expect(stub.stats()).toMatchObject({ webhooks: 0, webhooksFailed: 0 });
		});

		it('sends nothing when no webhooks option is given', async () => {
			const plain = await startKomboStub();
			try {
				await enrol(plain, plain.learners(DEMO)[0].id, plain.courses(DEMO)[0].revisions[0].id);
				expect(plain.pendingWebhookChanges()).toEqual({});
				expect(await plain.flushWebhooks()).toEqual([]);
			} finally {
				await plain.close();
			}
		});

		it.each([
			['a public address', 'http://192.0.2.10/hook', /must point at this machine .* got host "192\.0\.2\.10"; set webhooks\.allowRemote/],
			['a host name', 'https://hooks.example.com/kombo', /must point at this machine .* got host "hooks\.example\.com"/],
			['a wildcard address', 'http://0.0.0.0:5678/hook', /must point at this machine/],
			['not a URL', 'localhost:5678', /must be an http or https URL/],
			['another scheme', 'ftp://127.0.0.1/hook', /must be an http or https URL/],
		])('refuses a webhook URL that is %s, at start, in configure and in reset', async (_case, url, message) => {
			await expect(startKomboStub({ webhooks: { url, secret: SECRET } })).rejects.toThrow(message);
			expect(() => stub.configure({ webhooks: { url, secret: SECRET } })).toThrow(message);
			expect(() => stub.reset({ webhooks: { url, secret: SECRET } })).toThrow(message);
			expect(stub.options.webhooks).toEqual({ url: receiver.url, secret: SECRET });
		});

		it('refuses an empty secret and an unknown integration category', () => {
			expect(() => stub.configure({ webhooks: { url: receiver.url, secret: '' } })).toThrow(/webhooks\.secret must be a non-empty string/);
			expect(() => stub.configure({ webhooks: { url: receiver.url, secret: SECRET, integrationCategory: 'CRM' as 'LMS' } })).toThrow(/integrationCategory must be one of/);
		});

		it('accepts every loopback form of the URL', () => {
			for (const url of ['http://localhost:5678/hook', 'http://127.0.0.2:5678/hook', 'http://[::1]:5678/hook', 'https://127.0.0.1/hook']) {
				expect(() => stub.configure({ webhooks: { url, secret: SECRET } })).not.toThrow();
			}
		});

		it('names the integration category given', async () => {
			stub.configure({ webhooks: { url: receiver.url, secret: SECRET, integrationCategory: 'LMS' } });
			await stub.sendWebhook('data-changed');

			expect(receiver.received[0].json.data.integration_category).toBe('LMS');
		});
	});
});

describe('sandbox: webhooks', () => {
	const KEY = 'ks_dev_sandbox_key';
	type ErrorAnswer = { error: { code: string; message: string } };

	describe('flags', () => {
		it('sends no webhooks unless asked', () => {
			expect(parseArgs([]).webhooks).toBeUndefined();
		});

		it('takes --webhook-url and --webhook-secret together', () => {
			expect(parseArgs(['--webhook-url', 'http://localhost:5678/webhook/kombo', '--webhook-secret', 's3cret']).webhooks).toEqual({
				url: 'http://localhost:5678/webhook/kombo',
				secret: 's3cret',
			});
			expect(parseArgs(['--webhook-url=http://127.0.0.1:5678/x', '--webhook-secret=a=b']).webhooks).toEqual({ url: 'http://127.0.0.1:5678/x', secret: 'a=b' });
		});

		it.each([
			[['--webhook-url', 'http://localhost:5678/hook'], /--webhook-url and --webhook-secret go together: give --webhook-secret SECRET as well/],
			[['--webhook-secret', 's3cret'], /--webhook-url and --webhook-secret go together: give --webhook-url URL as well/],
			[['--webhook-url', 'not a url', '--webhook-secret', 's'], /--webhook-url must be an http or https URL, got "not a url"/],
			[['--webhook-url', 'file:///etc/passwd', '--webhook-secret', 's'], /--webhook-url must be an http or https URL/],
			[['--webhook-url', 'https://hooks.example.com/kombo', '--webhook-secret', 's'], /--webhook-url must point at this machine .* got host "hooks\.example\.com"; add --allow-remote-webhook/],
			[['--webhook-url', 'http://10.0.0.5:5678/hook', '--webhook-secret', 's'], /got host "10\.0\.0\.5"/],
			[['--webhook-url', 'http://localhost/hook', '--webhook-secret='], /--webhook-secret must not be empty/],
			[['--webhook-url'], /--webhook-url needs a value/],
			[['--allow-remote-webhook'], /--allow-remote-webhook goes with --webhook-url/],
		])('refuses %j with a clear message', (args, message) => {
			expect(() => parseArgs(args)).toThrow(message);
		});

		it('takes a URL on another machine only with --allow-remote-webhook (parsed, nothing sent)', () => {
			expect(parseArgs(['--webhook-url', 'https://hooks.example.com/kombo', '--webhook-secret', 's', '--allow-remote-webhook']).webhooks).toEqual({
				url: 'https://hooks.example.com/kombo',
				secret: 's',
				allowRemote: true,
			});
		});

		it('npm run sandbox -- --webhook-url on another machine stops before listening, with the message and the usage', async () => {
			const started = startSandboxProcess(['--port', '0', '--webhook-url', 'http://192.0.2.10/hook', '--webhook-secret', 's']);

			await expect(started).rejects.toMatchObject({ code: 2 });
			await expect(started).rejects.toThrow(/--webhook-url must point at this machine[\s\S]*Usage: npm run sandbox/);
		});
	});

	describe('a running sandbox', () => {
		let receiver: WebhookReceiver;

		beforeEach(async () => {
			receiver = await startWebhookReceiver();
		});
		afterEach(async () => await receiver.close());

		const syncFinished = (origin: string, query: string, apiKey: string | null = KEY) =>
			fetch(`${origin}/sandbox/sync-finished${query}`, { method: 'POST', headers: apiKey ? { Authorization: `Bearer ${apiKey}` } : {} });

		it('posts signed data-changed after an enrollment, then sync-finished on POST /sandbox/sync-finished, and logs both', async () => {
			const sandbox = await startSandboxProcess(['--port', '0', '--webhook-url', receiver.url, '--webhook-secret', SECRET]);
			try {
				const origin = sandbox.url.replace(/\/v1$/, '');
				const client = { url: sandbox.url, apiKey: KEY } as unknown as KomboStub;
				expect(sandbox.stdout()).toContain(`signed webhooks go to ${receiver.url}`);
				expect(sandbox.stdout()).toContain(`curl -X POST -H 'Authorization: Bearer ${KEY}' '${origin}/sandbox/sync-finished?integration_id=${DEMO}'`);

				const user = (await listUsers(client)).results[0];
				const revision = (await listCourses(client)).json.data.results[0].revisions[0];
				expect((await enrol(client, user.id, revision.id)).status).toBe(200);
				const answer = await syncFinished(origin, `?integration_id=${DEMO}`);
				const json = (await answer.json()) as { data: { deliveries: unknown[] } };

				expect(answer.status).toBe(200);
				// The data-changed event went first, by its window or by the flush the endpoint makes.
				expect(receiver.received.map((hook) => hook.json.type)).toEqual(['data-changed', 'sync-finished']);
				for (const hook of receiver.received) expect(hook.headers['x-kombo-signature']).toBe(sign(hook.raw));
				expect(namesOf(receiver.received[0])).toEqual(['lms_course_progressions']);
				const finished = receiver.received[1].json;
				expect(finished.data).toMatchObject({ sync_state: 'SUCCEEDED', integration_id: DEMO, integration_tool: 'sandbox', integration_category: 'LMS' });
				expect(json.data.deliveries.at(-1)).toEqual({ event_id: finished.id, type: 'sync-finished', integration_id: DEMO, state: 'delivered', status: 200, attempts: 1 });

				await sandbox.waitForOutput(new RegExp(`HOOK sync-finished ${finished.id} -> ${receiver.url.replace(/[.]/g, '\\.')}  200  \\d+ ms  ${DEMO}`));
				await sandbox.waitForOutput(new RegExp(`HOOK data-changed ${receiver.received[0].json.id} -> .*  200  \\d+ ms  ${DEMO}  lms_course_progressions`));
			} finally {
				expect(await sandbox.stop()).toBe(0);
			}
		});

		it('POST /sandbox/sync-finished takes a sync_state, and refuses a missing key, an unknown integration or state, and other paths', async () => {
			const sandbox = await startSandboxProcess(['--port', '0', '--quiet', '--webhook-url', receiver.url, '--webhook-secret', SECRET]);
			try {
				const origin = sandbox.url.replace(/\/v1$/, '');

				const failed = await syncFinished(origin, `?integration_id=${SECOND}&sync_state=FAILED`);
				expect(failed.status).toBe(200);
				expect(receiver.received.map((hook) => [hook.json.type, hook.json.data.integration_id, hook.json.data.sync_state])).toEqual([['sync-finished', SECOND, 'FAILED']]);

				const answers = [
					await syncFinished(origin, '', null),
					await syncFinished(origin, '', 'ks_dev_wrong'),
					await syncFinished(origin, '?integration_id=sandbox:nope'),
					await syncFinished(origin, '?sync_state=DONE'),
					await fetch(`${origin}/sandbox/sync-finished`, { headers: { Authorization: `Bearer ${KEY}` } }),
					await fetch(`${origin}/sandbox/other`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` } }),
				];
				const seen = [];
				for (const answer of answers) seen.push([answer.status, ((await answer.json()) as ErrorAnswer).error.code]);
				expect(seen).toEqual([
					[401, 'PLATFORM.AUTHENTICATION_INVALID'],
					[401, 'PLATFORM.AUTHENTICATION_INVALID'],
					[404, 'PLATFORM.INTEGRATION_NOT_FOUND'],
					[400, 'PLATFORM.INPUT_INVALID'],
					[404, 'PLATFORM.INPUT_INVALID'],
					[404, 'PLATFORM.INPUT_INVALID'],
				]);
				expect(receiver.received).toHaveLength(1);
				expect(sandbox.stdout()).not.toMatch(/HOOK/);
			} finally {
				expect(await sandbox.stop()).toBe(0);
			}
		});

		it('POST /sandbox/sync-finished answers 409 when the sandbox has no webhook URL', async () => {
			const sandbox = await startSandboxProcess(['--port', '0', '--quiet']);
			try {
				const answer = await syncFinished(sandbox.url.replace(/\/v1$/, ''), '');
				const json = (await answer.json()) as ErrorAnswer;

				expect(answer.status).toBe(409);
				expect(json.error.message).toMatch(/--webhook-url URL --webhook-secret SECRET/);
				expect(sandbox.stdout()).not.toContain('/sandbox/sync-finished');
			} finally {
				expect(await sandbox.stop()).toBe(0);
			}
		});

		it('a stub without sandboxEndpoints treats /sandbox/* as an unknown route of Kombo’s API', async () => {
			const plain = await startKomboStub({ webhooks: { url: receiver.url, secret: SECRET } });
			try {
				const response = await fetch(`${plain.url.replace(/\/v1$/, '')}/sandbox/sync-finished`, { method: 'POST', headers: { Authorization: `Bearer ${KEY}` } });
				expect(response.status).toBe(404);
				expect(plain.violations.map((violation) => violation.kind)).toEqual(['route']);
				expect(receiver.received).toEqual([]);
			} finally {
				await plain.close();
			}
		});
	});
});
