import type {
	ICredentialsDecrypted,
	ICredentialTestFunctions,
	IDataObject,
	IHookFunctions,
	INodeCredentialTestResult,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { readIdList } from '../Kombo/helpers/listing';
import type { TriggerMemory } from './helpers/events';
import { ANY_EVENT, eventItem, exclusionOf, isSignedBy, LMS_MODELS, readEvent, remember } from './helpers/events';

export const WEBHOOK_CREDENTIAL = 'komboWebhookApi';
export const SIGNATURE_HEADER = 'x-kombo-signature';
// Event IDs kept to recognise a repeated delivery: far more than Kombo sends in the time it retries.
export const RECENT_EVENT_IDS_KEPT = 1000;

export const NO_SECRET_MESSAGE =
	'The Kombo Trigger has no webhook secret, so it cannot tell Kombo’s webhooks from anyone else’s and starts nothing. Copy the Kombo Webhook Secret from the Webhooks page of the Kombo dashboard into the trigger’s Kombo Webhook API credential.';

/** A setting's list, from the panel's list or text separated by commas; anything else is none. */
function readList(value: unknown): string[] {
	const read = readIdList(value);
	// Stryker disable next-line ConditionalExpression: a reading that failed has no value, which comes out as none all the same
	return read.ok ? (read.value ?? []) : [];
}

export class KomboTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kombo Trigger',
		name: 'komboTrigger',
		icon: { light: 'file:../../icons/kombo.svg', dark: 'file:../../icons/kombo.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).includes("*") ? "Any event" : ($parameter["events"] || []).join(", ") }}',
		description: "Starts the workflow when Kombo reports a change in a customer's LMS, for signed webhooks only",
		defaults: { name: 'Kombo Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'komboWebhookApi', required: true, testedBy: 'komboWebhookSecret' }],
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', path: 'webhook' }],
		properties: [
			{
				displayName:
					'In the Kombo dashboard, open Webhooks and paste this node’s URL (above): the Test URL while you build the workflow (click Listen for Test Event first), the Production URL once the workflow is published. Then copy the Kombo Webhook Secret shown there into the credential.',
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				default: ['data-changed'],
				options: [
					{ name: 'Any Event', value: ANY_EVENT, description: 'Every event, including those Kombo adds later' },
					{ name: 'Connection Flow Failed', value: 'connection-flow-failed', description: 'A customer’s attempt to connect their LMS failed' },
					{ name: 'Data Changed', value: 'data-changed', description: 'A sync found changes: which models changed (learners, courses, course progressions…)' },
					{ name: 'Integration Created', value: 'integration-created', description: 'A customer connected their LMS' },
					{ name: 'Integration Deleted', value: 'integration-deleted', description: 'An integration was deleted' },
					{ name: 'Integration State Changed', value: 'integration-state-changed', description: 'An integration became active, invalid or inactive' },
					{ name: 'Sync Finished', value: 'sync-finished', description: 'A sync ended, with its outcome' },
				],
				description: 'The events that start the workflow; other events are acknowledged and start nothing',
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add option',
				default: {},
				options: [
					{
						displayName: 'Changed Models',
						name: 'changedModels',
						type: 'multiOptions',
						default: [],
						options: LMS_MODELS,
						description: 'With Data Changed: start the workflow only when one of these changed. Empty: any change.',
					},
					{
						displayName: 'Integration IDs',
						name: 'integrationIds',
						type: 'string',
						default: '',
						placeholder: 'e.g. workday:HWUTwvyx2wLoSUHphiWVrp28, moodle:7s9Xb2',
						description: 'Start the workflow only for the events of these integrations, separated by commas. Empty: every integration. An event without an integration (Connection Flow Failed) does not pass this filter.',
					},
				],
			},
		],
	};

	// Kombo's webhooks are set up by hand in its dashboard: there is nothing to create or delete.
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	methods = {
		credentialTest: {
			async komboWebhookSecret(this: ICredentialTestFunctions, credential: ICredentialsDecrypted): Promise<INodeCredentialTestResult> {
				const secret = String(credential.data?.webhookSecret ?? '').trim();
				if (secret === '') return { status: 'Error', message: 'Enter the Kombo Webhook Secret from the Webhooks page of the Kombo dashboard.' };
				return { status: 'OK', message: 'The secret is set. Kombo offers no way to check it: send a test event from its dashboard.' };
			},
		},
	};

	/**
	 * Answers one delivery. Fails closed: without a secret nothing runs; a missing or wrong
	 * signature gets 401, a body that is not an event 400, and neither starts anything. A signed
	 * event that the settings exclude, or that came before (the same event ID), gets 200 and starts
	 * nothing. Any other starts the workflow with one item.
	 */
	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		const credentials = await this.getCredentials(WEBHOOK_CREDENTIAL);
		const secret = String(credentials.webhookSecret ?? '').trim();
		if (secret === '') throw new NodeOperationError(this.getNode(), NO_SECRET_MESSAGE);
		const request = this.getRequestObject() as unknown as { rawBody?: Buffer };
		const body = Buffer.isBuffer(request.rawBody) ? request.rawBody : Buffer.alloc(0);
		const response = this.getResponseObject();
		if (!isSignedBy(body, this.getHeaderData()[SIGNATURE_HEADER], secret)) {
			response.status(401).json({ error: 'The X-Kombo-Signature header is missing or does not match the body' });
			return { noWebhookResponse: true };
		}
		const read = readEvent(body);
		if (!read.ok) {
			response.status(400).json({ error: read.problem });
			return { noWebhookResponse: true };
		}
		const { event } = read;
		const options = this.getNodeParameter('options', {}) as IDataObject;
		const exclusion = exclusionOf(event, {
			events: readList(this.getNodeParameter('events')),
			changedModels: readList(options.changedModels),
			integrationIds: readList(options.integrationIds),
		});
		if (exclusion) return { webhookResponse: { received: true, started: false, reason: exclusion } };
		const receivedAt = new Date().toISOString();
		const memory = this.getWorkflowStaticData('node') as TriggerMemory;
		const remembered = remember(memory, event, receivedAt, RECENT_EVENT_IDS_KEPT);
		if (remembered.duplicate) return { webhookResponse: { received: true, started: false, reason: 'this event was received before' } };
		return { workflowData: [[{ json: eventItem(event, receivedAt, remembered.previousAt) as unknown as IDataObject }]] };
	}
}
