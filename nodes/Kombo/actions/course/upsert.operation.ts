import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { toBatches } from '../../helpers/batching';
import type { MappedRow } from '../../helpers/collect';
import { collectCourses } from '../../helpers/collect';
import { DEFAULT_BATCH_SIZE, KOMBO_WRITE_LIMIT, MAX_BATCH_SIZE } from '../../helpers/constants';
import type { InvalidItem } from '../../helpers/outputs';
import { inInputOrder } from '../../helpers/outputs';
import { checkDelayMs } from '../../helpers/poll';
import { reportCourses } from '../../helpers/reports';
import { invalidItemsError, rejectedBatchError, runError } from '../../helpers/runErrors';
import type { Runtime } from '../../helpers/runtime';
import { validationReport } from '../../helpers/validationReport';
import type { SubmittedBatch, TaskState } from '../../engine/tasks';
import { isAccepted, submitBatches, waitForTasks } from '../../engine/tasks';
import { closeRecord, openRecord, recordHints } from '../../engine/unchanged';
import type { Batch } from '../../helpers/batching';
import type { KomboCourseItem } from '../../helpers/course';
import { conflictHint, conflictMessage, COURSES_NOTICE, matchCourseColumns, noMatchingColumnsText } from '../../helpers/autoMap';
import type { KomboConnection } from '../../transport';
import { getConnection, KomboClient } from '../../transport';
import {
	integrationIdOption,
	integrationIdResolver,
	readBatchSize,
	readWaitOptions,
	reportFor,
	timeoutOption,
	unreadableItem,
} from './common';
import { deactivateMissing, deactivateMissingOptions, noteNothingDeactivated, readDeactivateMissingOptions } from './deactivateMissing';

const properties: INodeProperties[] = [
	{
		displayName: COURSES_NOTICE,
		name: 'coursesNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Courses',
		name: 'columns',
		type: 'resourceMapper',
		noDataExpression: true,
		default: { mappingMode: 'defineBelow', value: null },
		required: true,
		typeOptions: {
			loadOptionsDependsOn: ['resource', 'operation'],
			resourceMapper: {
				resourceMapperMethod: 'getCourseFields',
				mode: 'add',
				fieldWords: { singular: 'course field', plural: 'course fields' },
				addAllFields: true,
				multiKeyMatch: false,
				supportAutoMap: true,
			},
		},
		description:
			'How input items become courses. Origin ID is your own stable ID for a course: sending it again updates the course instead of creating another.',
	},
	{
		displayName: 'Wait for Completion',
		name: 'waitForCompletion',
		type: 'boolean',
		default: true,
		description:
			'Whether to wait until Kombo has processed every course and output each course’s result. When off, the node outputs each course’s task ID as soon as Kombo has accepted it.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Batch Size',
				name: 'batchSize',
				type: 'number',
				default: DEFAULT_BATCH_SIZE,
				typeOptions: { minValue: 1, maxValue: MAX_BATCH_SIZE },
				description:
					'How many courses to send in one request. Some LMSs (SAP SuccessFactors) take at most 1000.',
			},
			deactivateMissingOptions[0],
			{
				displayName: 'Forget Sent Courses',
				name: 'forgetSentCourses',
				type: 'boolean',
				default: false,
				displayOptions: { show: { skipUnchanged: [true] } },
				description:
					'Whether to forget what earlier runs sent before this run, so that every course is sent again, e.g. after the LMS was restored from a backup',
			},
			integrationIdOption,
			{
				displayName: 'Max Parallel Requests',
				name: 'maxParallelRequests',
				type: 'number',
				default: 4,
				typeOptions: { minValue: 1, maxValue: KOMBO_WRITE_LIMIT },
				description:
					'The most batches sent to one integration at once. Without this option the node finds by itself how many Kombo takes (up to 27 of the 30 it allows). Set it to stay gentler, e.g. for a fragile LMS.',
			},
			...deactivateMissingOptions.slice(1),
			{
				displayName: 'Skip Unchanged Courses',
				name: 'skipUnchanged',
				type: 'boolean',
				default: false,
				description:
					'Whether to send only courses that changed since Kombo last confirmed them for that integration. The others are output with status UNCHANGED. Needs Wait for Completion, since only confirmed courses are remembered; failed, pending and cancelled ones are sent again next time.',
			},
			timeoutOption,
			{
				displayName: 'Validate Only',
				name: 'validateOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to only map and check every item, sending nothing to Kombo: each item is output with status VALID and the exact course that would be sent, or INVALID with every problem and how to fix it',
			},
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['course'], operation: ['upsert'] } },
	properties,
);

/** Map Automatically: the input row's columns, found by name, or why they cannot be. */
function autoMapped(ctx: IExecuteFunctions, json: IDataObject, itemIndex: number): Record<string, unknown> {
	const { record, conflicts } = matchCourseColumns(json);
	if (conflicts.length > 0) {
		const [conflict] = conflicts;
		throw new NodeOperationError(ctx.getNode(), `Invalid course: ${conflictMessage(conflict)} [item ${itemIndex}]`, {
			itemIndex,
			description: conflictHint(conflict),
		});
	}
	if (Object.keys(record).length === 0) {
		throw new NodeOperationError(ctx.getNode(), `Invalid course: no column of this item is a course field [item ${itemIndex}]`, {
			itemIndex,
			description: noMatchingColumnsText(Object.keys(json)),
		});
	}
	return record;
}

/** Reads each item's course record (by automatic or manual mapping) and its integration. */
function mapItems(ctx: IExecuteFunctions, connection: KomboConnection, items: INodeExecutionData[]) {
	const autoMap = ctx.getNodeParameter('columns.mappingMode', 0) === 'autoMapInputData';
	const integrationIdOf = integrationIdResolver(ctx, connection);
	const rows: MappedRow[] = [];
	const failed: InvalidItem[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const record = autoMap
				? autoMapped(ctx, items[itemIndex].json, itemIndex)
				: ((ctx.getNodeParameter('columns.value', itemIndex, {}) as IDataObject) ?? {});
			rows.push({ itemIndex, integrationId: integrationIdOf(itemIndex), record });
		} catch (error) {
			failed.push(unreadableItem(ctx, itemIndex, error));
		}
	}
	return collectCourses(rows, failed);
}

/** Sends the batches and, when there is a deadline, waits for their tasks under the one policy. */
async function sendAndWait(client: KomboClient, batches: Array<Batch<KomboCourseItem>>, deadline: number | undefined, stopAtFirstError: boolean) {
	const submitted = await submitBatches(client, batches, stopAtFirstError);
	const rejected = submitted.find((sent) => sent.outcome === 'rejected');
	if (rejected?.outcome === 'rejected' && stopAtFirstError) {
		throw rejectedBatchError(rejected.error, submitted.filter(isAccepted).length, batches.length);
	}
	if (deadline === undefined) return { submitted, states: undefined };
	const accepted = submitted.filter(isAccepted);
	const refs = accepted.map((sent) => ({
		taskId: sent.taskId,
		integrationId: sent.batch.integrationId,
		itemIndex: sent.batch.entries[0].itemIndex,
		firstCheckAt: sent.submittedAt + checkDelayMs(0),
	}));
	const results = await waitForTasks(client, refs, deadline);
	return { submitted, states: new Map<SubmittedBatch, TaskState>(accepted.map((sent, index) => [sent, results[index]])) };
}

function readSkipUnchanged(ctx: IExecuteFunctions, waiting: boolean) {
	const skip = ctx.getNodeParameter('options.skipUnchanged', 0, false) as boolean;
	if (skip && !waiting) {
		throw new NodeOperationError(ctx.getNode(), 'Skip Unchanged Courses needs Wait for Completion', {
			description: 'The node remembers only courses that Kombo confirmed, which it learns by waiting. Turn Wait for Completion on, or Skip Unchanged Courses off.',
		});
	}
	return { skip, forget: skip && (ctx.getNodeParameter('options.forgetSentCourses', 0, false) as boolean) };
}

export async function execute(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const maxWritesPerIntegration = this.getNodeParameter('options.maxParallelRequests', 0, 0) as number;
	const client = new KomboClient(this, runtime, await getConnection(this), { maxWritesPerIntegration });
	// Stryker disable next-line BooleanLiteral: n8n fills in Wait for Completion's default (true), so this fallback is never read
	const wait = readWaitOptions(this, true);
	const retire = readDeactivateMissingOptions(this, wait.waitForCompletion);
	const validateOnly = this.getNodeParameter('options.validateOnly', 0, false) === true;
	const batchSize = readBatchSize(this);
	const deadline = wait.timeoutMs === undefined ? undefined : runtime.now() + wait.timeoutMs;

	const unchangedOption = readSkipUnchanged(this, deadline !== undefined);

	const { entries, invalid } = mapItems(this, client.connection, items);
	if (validateOnly) return [validationReport(items.length, entries, invalid)];
	if (invalid.length > 0 && !continueOnFail) throw invalidItemsError(this.getNode(), invalid, items.length);

	// Asked only with the option on: n8n saves the static data of every run that asks for it.
	const record = unchangedOption.skip ? openRecord(this.getWorkflowStaticData('node'), entries, unchangedOption.forget) : undefined;
	if (record) this.addExecutionHints(...recordHints(record.state, this.getMode() === 'manual'));
	const toSend = record ? entries.filter((entry) => !record.unchanged.has(entry)) : entries;
	let succeeded = new Set<number>();
	try {
		const { submitted, states } = await sendAndWait(client, toBatches(toSend, batchSize), deadline, !continueOnFail).catch((error: NodeApiError) => {
			throw retire && !client.cancelled ? noteNothingDeactivated(error) : error;
		});
		const reported = reportCourses(items.length, invalid, submitted, states, wait.timeoutMs ?? 0, record?.unchanged);
		succeeded = reported.succeeded;
		if (!continueOnFail) {
			const error = runError(this.getNode(), reportFor(reported.report, wait));
			if (error) throw retire ? noteNothingDeactivated(error) : error;
		}
		const output = inInputOrder(reported.slots);
		if (retire) {
			// Unchanged courses are in the input as much as sent ones: `entries` holds them all.
			const health = { invalid: invalid.length, failed: reported.report.failed.length, pending: reported.report.pendingCourses };
			output.push(...(await deactivateMissing(this, client, { entries, health, options: retire, continueOnFail })));
		}
		return [output];
	} finally {
		if (record) closeRecord(record, (entry) => succeeded.has(entry.itemIndex));
	}
}
