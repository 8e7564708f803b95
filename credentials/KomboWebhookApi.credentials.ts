import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';

/**
 * The secret Kombo signs its webhooks with. Kombo offers no API to check it, so the Kombo Trigger
 * tests it (see its credentialTest method): it must be there, and the trigger refuses to run
 * without it.
 */
export class KomboWebhookApi implements ICredentialType {
	name = 'komboWebhookApi';

	displayName = 'Kombo Webhook API';

	icon: Icon = { light: 'file:../icons/kombo.svg', dark: 'file:../icons/kombo.dark.svg' };

	documentationUrl = 'https://www.npmjs.com/package/n8n-nodes-kombo';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook Secret',
			name: 'webhookSecret',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'The secret Kombo signs every webhook with. In the Kombo dashboard, open Webhooks (where you paste the trigger’s URL) and copy the Kombo Webhook Secret shown there.',
		},
	];
}
