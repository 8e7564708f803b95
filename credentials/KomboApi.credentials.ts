import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

// The integration id is deliberately not sent from `authenticate`: headers set there overwrite
// the request's own, and the node must be able to send another integration id per item.
export class KomboApi implements ICredentialType {
	name = 'komboApi';

	displayName = 'Kombo API';

	icon: Icon = { light: 'file:../icons/kombo.svg', dark: 'file:../icons/kombo.dark.svg' };

	documentationUrl = 'https://docs.kombo.dev/';

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

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

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
