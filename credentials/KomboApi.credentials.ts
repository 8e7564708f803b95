import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestOptions,
	Icon,
	INodeProperties,
} from 'n8n-workflow';

// Kombo's endpoints that take the API key only, without an integration.
const WITHOUT_INTEGRATION = /\/(check-api-key|integrations)(?=[/?#]|$)/;

function hasHeader(headers: IDataObject, name: string): boolean {
	const wanted = name.toLowerCase();
	return Object.keys(headers).some((key) => key.toLowerCase() === wanted && headers[key] !== undefined && headers[key] !== '');
}

/**
 * Adds Kombo's auth to a request: always the API key, and the credential's integration ID
 * unless the request names one itself. A function rather than generic `authenticate`, whose
 * headers overwrite the request's own: the node sends another integration ID per item, and an
 * HTTP Request node using this credential (n8n's "Custom API Call") may set its own header too.
 */
export async function authenticateKombo(
	credentials: ICredentialDataDecryptedObject,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	const headers: IDataObject = { ...(requestOptions.headers ?? {}) };
	for (const key of Object.keys(headers)) if (key.toLowerCase() === 'authorization') delete headers[key];
	headers.Authorization = `Bearer ${String(credentials.apiKey ?? '')}`;
	const integrationId = typeof credentials.integrationId === 'string' ? credentials.integrationId.trim() : '';
	// The HTTP Request node passes n8n's older request options, with the address in `uri`.
	const address = String(requestOptions.url ?? (requestOptions as { uri?: unknown }).uri ?? '');
	if (integrationId && !hasHeader(headers, 'X-Integration-Id') && !WITHOUT_INTEGRATION.test(address)) {
		headers['X-Integration-Id'] = integrationId;
	}
	requestOptions.headers = headers;
	return requestOptions;
}

export class KomboApi implements ICredentialType {
	name = 'komboApi';

	displayName = 'Kombo API';

	icon: Icon = { light: 'file:../icons/kombo.svg', dark: 'file:../icons/kombo.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-kombo';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			placeholder: 'e.g. ks_prod_…',
			description:
				'A key from the Kombo dashboard, under Secrets → API Keys. Production keys start with ks_prod_, development keys with ks_dev_.',
		},
		{
			displayName: 'Integration ID',
			name: 'integrationId',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'e.g. workday:HWUTwvyx2wLoSUHphiWVrp28',
			description:
				"The ID of your customer's LMS integration, shown on the integration's page in the Kombo dashboard. The node's Integration ID option overrides it.",
		},
		{
			displayName: 'Region',
			name: 'region',
			type: 'options',
			default: 'eu',
			options: [
				{ name: 'EU', value: 'eu', description: 'https://api.kombo.dev/v1' },
				{ name: 'US', value: 'us', description: 'https://api.us.kombo.dev/v1' },
				{
					name: 'Custom',
					value: 'custom',
					description: 'A proxy, or a local Kombo sandbox',
				},
			],
			description: 'Where your Kombo environment is hosted',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. http://127.0.0.1:4010/v1',
			description: 'The URL that Kombo API paths such as /lms/courses/bulk are appended to',
			displayOptions: { show: { region: ['custom'] } },
		},
	];

	authenticate = authenticateKombo;

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.region === "custom" ? String($credentials.baseUrl).replace(/\\/+$/, "") : $credentials.region === "us" ? "https://api.us.kombo.dev/v1" : "https://api.kombo.dev/v1" }}',
			url: '/check-api-key',
			method: 'GET',
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'Kombo rejected the API key. Copy a key from the Kombo dashboard (Secrets → API Keys) and check that the region matches the environment the key belongs to.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 403,
					message:
						"Kombo refused the request. If your Kombo environment restricts IP addresses, add this n8n instance's address to the allow list.",
				},
			},
		],
	};
}
