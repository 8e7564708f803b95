import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_S } from '../../helpers/constants';
import type { KomboConnection } from '../../transport';

export const integrationIdOption: INodeProperties = {
	displayName: 'Integration ID',
	name: 'integrationId',
	type: 'string',
	default: '',
	placeholder: 'e.g. workday:HWUTwvyx2wLoSUHphiWVrp28',
	description:
		"Send to this integration instead of the credential's. May be an expression, so that one run can serve several customers: items are grouped by integration.",
};

export const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeout',
	type: 'number',
	default: DEFAULT_TIMEOUT_S,
	typeOptions: { minValue: 1 },
	description:
		'How long to wait in total for Kombo to finish, when waiting for completion. If tasks are still pending then, the node fails naming them (with Continue On Fail, it outputs their courses as PENDING with the task ID).',
};

/**
 * Returns a function giving each item's integration ID. An option that is not an expression is
 * read once rather than once per item, which matters for runs of many thousand items.
 */
export function integrationIdResolver(
	ctx: IExecuteFunctions,
	connection: KomboConnection,
): (itemIndex: number) => string {
	const raw = (ctx.getNode().parameters.options as { integrationId?: unknown } | undefined)?.integrationId;
	const isExpression = typeof raw === 'string' && raw.startsWith('=');
	const fixed = typeof raw === 'string' && !isExpression ? raw.trim() : '';
	return (itemIndex) => {
		const override = isExpression
			? String(ctx.getNodeParameter('options.integrationId', itemIndex, '') ?? '').trim()
			: fixed;
		const integrationId = override || connection.integrationId;
		if (!integrationId) {
			throw new NodeOperationError(ctx.getNode(), `No integration ID for this item [item ${itemIndex}]`, {
				itemIndex,
				description:
					"Enter the integration ID in the Kombo credential, or set the node's Integration ID option. You find it on the integration's page in the Kombo dashboard.",
			});
		}
		return integrationId;
	};
}

export function timeoutMs(ctx: IExecuteFunctions): number {
	const seconds = Number(ctx.getNodeParameter('options.timeout', 0, DEFAULT_TIMEOUT_S));
	if (!Number.isFinite(seconds) || seconds < 1) {
		throw new NodeOperationError(ctx.getNode(), `The timeout must be at least 1 second, got ${seconds}`, {
			description: 'Set the Timeout option to a number of seconds, e.g. 600.',
		});
	}
	return seconds * 1000;
}

/** An item that n8n sends to the error output under "Continue (using error output)". */
export function errorItem(
	message: string,
	details: Record<string, unknown>,
	pairedItem: INodeExecutionData['pairedItem'],
): INodeExecutionData {
	return { json: { error: message, details: details as INodeExecutionData['json'] }, pairedItem };
}
