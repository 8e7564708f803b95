import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_BATCH_SIZE, DEFAULT_TIMEOUT_S, MAX_BATCH_SIZE, TOOL_DEFAULT_TIMEOUT_S } from '../../helpers/constants';
import { runsAsTool } from '../../helpers/tool';
import type { InvalidItem } from '../../helpers/outputs';
import type { KomboConnection } from '../../transport';
import { asNodeError } from '../../transport';

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
		'How long to wait in total when Wait for Completion is on. Every task is checked at least once, and once more at the end. Tasks still pending then fail the node, naming them; with Continue On Fail, their courses are output as PENDING with the task ID. Used as an AI agent’s tool, the node waits 30 s unless this option is set, and outputs what is still pending.',
};

export interface WaitOptions {
	waitForCompletion: boolean;
	/** Present when waiting. */
	timeoutMs?: number;
	/** As an AI agent's tool: tasks still pending at the deadline are reported, not a failure. */
	asTool: boolean;
}

export function readWaitOptions(ctx: IExecuteFunctions, waitByDefault: boolean): WaitOptions {
	const asTool = runsAsTool(ctx);
	const waitForCompletion = ctx.getNodeParameter('waitForCompletion', 0, waitByDefault) as boolean;
	// Stryker disable next-line ObjectLiteral: not waiting, callers read waitForCompletion only as falsy, and asTool only clears timed-out tasks, of which there are none without a timeout
	if (!waitForCompletion) return { waitForCompletion, asTool };
	const defaultTimeoutS = asTool ? TOOL_DEFAULT_TIMEOUT_S : DEFAULT_TIMEOUT_S;
	const entered = ctx.getNodeParameter('options.timeout', 0, defaultTimeoutS);
	const seconds = Number(entered);
	if (!Number.isFinite(seconds) || seconds < 1) {
		throw new NodeOperationError(ctx.getNode(), `The timeout must be at least 1 second, got ${JSON.stringify(entered)}`, {
			description: 'Set the Timeout option to a number of seconds, e.g. 600.',
		});
	}
	return { waitForCompletion, timeoutMs: seconds * 1000, asTool };
}

export function readBatchSize(ctx: IExecuteFunctions): number {
	const entered = ctx.getNodeParameter('options.batchSize', 0, DEFAULT_BATCH_SIZE);
	const batchSize = Number(entered);
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
		throw new NodeOperationError(ctx.getNode(), `The batch size must be a whole number from 1 to ${MAX_BATCH_SIZE}, got ${JSON.stringify(entered)}`, {
			description: 'Set Batch Size to e.g. 100.',
		});
	}
	return batchSize;
}

/**
 * Returns a function giving each item's integration ID. An option that is not an expression is
 * read once rather than once per item, which matters for runs of many thousand items.
 */
export function integrationIdResolver(ctx: IExecuteFunctions, connection: KomboConnection): (itemIndex: number) => string {
	const raw = (ctx.getNode().parameters.options as { integrationId?: unknown } | undefined)?.integrationId;
	const isExpression = typeof raw === 'string' && raw.startsWith('=');
	const fixed = typeof raw === 'string' && !isExpression ? raw.trim() : '';
	return (itemIndex) => {
		const override = isExpression ? String(ctx.getNodeParameter('options.integrationId', itemIndex, '') ?? '').trim() : fixed;
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

/** An item whose parameters could not even be read (an expression failed, no integration ID). */
export function unreadableItem(ctx: IExecuteFunctions, itemIndex: number, error: unknown): InvalidItem {
	const reason = asNodeError(ctx, error);
	const message = reason.message.replace(/ \[item \d+\]$/, '');
	return {
		itemIndex,
		message: `${message} [item ${itemIndex}]`,
		description: reason.description ?? null,
		field: null,
		value: null,
		originId: null,
		problems: [{ field: null, value: null, message, fix: reason.description ?? null }],
	};
}


/** The report a run's error is decided on: an AI agent's tool reports pending tasks as data. */
export function reportFor<T extends { timedOut: unknown[] }>(report: T, wait: WaitOptions): T {
	return wait.asTool ? { ...report, timedOut: [] } : report;
}
