import type { ICredentialDataDecryptedObject, IHttpRequestOptions } from 'n8n-workflow';

import { authenticateKombo, KomboApi } from '../../credentials/KomboApi.credentials';

const credentials: ICredentialDataDecryptedObject = {
	apiKey: 'ks_dev_secret',
	integrationId: 'workday:HWUT',
	region: 'eu',
	baseUrl: '',
};

async function headersOf(options: Partial<IHttpRequestOptions> & { uri?: string }, creds = credentials) {
	const result = await authenticateKombo(creds, { url: '', ...options } as IHttpRequestOptions);
	return result.headers;
}

describe('Kombo API credential', () => {
	it('is the authenticate function the node relies on', () => {
		expect(new KomboApi().authenticate).toBe(authenticateKombo);
	});

	it('adds the API key as a bearer token and the integration ID to a request without them', async () => {
		expect(await headersOf({ url: 'https://api.kombo.dev/v1/lms/courses/bulk', headers: { Accept: 'application/json' } })).toEqual({
			Accept: 'application/json',
			Authorization: 'Bearer ks_dev_secret',
			'X-Integration-Id': 'workday:HWUT',
		});
	});

	it.each([['X-Integration-Id'], ['x-integration-id'], ['X-INTEGRATION-ID']])(
		'keeps the integration ID the request sets as %s (the node sends one per item)',
		async (name) => {
			const headers = await headersOf({ url: '/lms/courses/bulk', headers: { [name]: 'sandbox:second' } });
			expect(headers).toEqual({ [name]: 'sandbox:second', Authorization: 'Bearer ks_dev_secret' });
		},
	);

	it('fills in an integration ID header the request left empty', async () => {
		expect((await headersOf({ url: '/lms/courses', headers: { 'X-Integration-Id': '' } }))?.['X-Integration-Id']).toBe('workday:HWUT');
	});

	it.each([['authorization'], ['Authorization'], ['AUTHORIZATION']])('always sends the credential’s key, replacing %s', async (name) => {
		expect(await headersOf({ url: '/lms/courses', headers: { [name]: 'Bearer someone-else' } })).toEqual({
			Authorization: 'Bearer ks_dev_secret',
			'X-Integration-Id': 'workday:HWUT',
		});
	});

	it('reads the address of the HTTP Request node’s request options (uri)', async () => {
		expect(await headersOf({ url: undefined, uri: 'https://api.kombo.dev/v1/check-api-key' })).toEqual({
			Authorization: 'Bearer ks_dev_secret',
		});
		expect((await headersOf({ url: undefined, uri: 'https://api.kombo.dev/v1/lms/users' }))?.['X-Integration-Id']).toBe('workday:HWUT');
	});

	it.each([
		['/check-api-key'],
		['https://api.us.kombo.dev/v1/check-api-key'],
		['https://api.kombo.dev/v1/check-api-key?x=1'],
		['/integrations/workday:HWUT'],
		['https://api.kombo.dev/v1/integrations/workday:HWUT/relink'],
	])('sends no integration ID to %s, which takes the key only', async (url) => {
		expect(await headersOf({ url })).toEqual({ Authorization: 'Bearer ks_dev_secret' });
	});

	it.each([['/lms/courses/bulk'], ['https://api.kombo.dev/v1/lms/courses/bulk/task_1'], ['/hris/employees'], ['/check-api-keys']])(
		'sends the integration ID to %s',
		async (url) => {
			expect((await headersOf({ url }))?.['X-Integration-Id']).toBe('workday:HWUT');
		},
	);

	it.each([[''], ['  '], [undefined]])('sends no integration ID when the credential has %p', async (integrationId) => {
		const creds: ICredentialDataDecryptedObject = { ...credentials };
		if (integrationId === undefined) delete creds.integrationId;
		else creds.integrationId = integrationId;
		expect(await headersOf({ url: '/lms/courses' }, creds)).toEqual({
			Authorization: 'Bearer ks_dev_secret',
		});
	});

	it('keeps the rest of the request as it was', async () => {
		const options: IHttpRequestOptions = { url: '/lms/courses/bulk', method: 'POST', body: { items: [] }, baseURL: 'https://x/v1' };
		const result = await authenticateKombo(credentials, options);
		expect(result).toMatchObject({ url: '/lms/courses/bulk', method: 'POST', body: { items: [] }, baseURL: 'https://x/v1' });
	});

	it('tests the key with GET /check-api-key on the region’s base URL', () => {
		expect(new KomboApi().test.request).toMatchObject({ url: '/check-api-key', method: 'GET' });
	});
});
