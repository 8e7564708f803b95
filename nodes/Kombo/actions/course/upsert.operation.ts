import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { Batch, Entry } from '../../helpers/batching';
import { findDuplicateOriginIds, toBatches } from '../../helpers/batching';
import { clock } from '../../helpers/clock';
import { ConcurrencyLimiter, mapWithConcurrency } from '../../helpers/concurrency';
import {
	DEFAULT_BATCH_SIZE,
	FAILED_COURSES_LISTED_MAX,
	MAX_BATCH_SIZE,
	MAX_PARALLEL_POLLS,
	MAX_PARALLEL_POSTS,
} from '../../helpers/constants';
import type { FieldProblem, KomboCourseItem } from '../../helpers/course';
import { validateCourse } from '../../helpers/course';
import { describeKomboError } from '../../helpers/errors';
import { pollUntilFinished } from '../../helpers/poll';
import type { CourseOutcome, KomboTask } from '../../helpers/results';
import { courseOutcomes, isFinished } from '../../helpers/results';
import type { KomboConnection } from '../../transport';
import { asNodeError, getConnection, komboApiRequest } from '../../transport';
import {
	errorItem,
	integrationIdOption,
	integrationIdResolver,
	timeoutMs,
	timeoutOption,
} from './common';

const properties: INodeProperties[] = [
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
			integrationIdOption,
			timeoutOption,
		],
	},
];

export const description = updateDisplayOptions(
	{ show: { resource: ['course'], operation: ['upsert'] } },
	properties,
);

interface Submitted {
	batch: Batch<KomboCourseItem>;
	taskId?: string;
	warnings: string[];
	submittedAt: number;
	error?: NodeApiError | NodeOperationError;
}

interface InvalidItem {
	error: NodeOperationError;
	/** The first field at fault, when validation (not mapping or a duplicate) rejected the item. */
	problem?: FieldProblem;
}

function problemMessage(problem: FieldProblem, itemIndex: number): string {
	return `Invalid course: ${problem.message} [item ${itemIndex}]`;
}

function readBatchSize(ctx: IExecuteFunctions): number {
	const batchSize = Number(ctx.getNodeParameter('options.batchSize', 0, DEFAULT_BATCH_SIZE));
	if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
		throw new NodeOperationError(ctx.getNode(), `The batch size must be a whole number from 1 to ${MAX_BATCH_SIZE}, got ${batchSize}`, {
			description: 'Set Batch Size to e.g. 100.',
		});
	}
	return batchSize;
}

/** Maps and validates every item before anything is sent. */
function collectCourses(ctx: IExecuteFunctions, connection: KomboConnection, items: INodeExecutionData[]) {
	const autoMap = ctx.getNodeParameter('columns.mappingMode', 0) === 'autoMapInputData';
	const integrationIdOf = integrationIdResolver(ctx, connection);
	const invalid = new Map<number, InvalidItem>();
	const entries: Array<Entry<KomboCourseItem>> = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const record = autoMap
				? items[itemIndex].json
				: (ctx.getNodeParameter('columns.value', itemIndex, {}) as IDataObject);
			const integrationId = integrationIdOf(itemIndex);
			const validation = validateCourse(record ?? {});
			if (!validation.ok) {
				const [problem] = validation.problems;
				const error = new NodeOperationError(ctx.getNode(), problemMessage(problem, itemIndex), {
					itemIndex,
					description: validation.problems.map((each) => `${each.message}. ${each.hint}`).join('\n'),
				});
				invalid.set(itemIndex, { error, problem });
				continue;
			}
			entries.push({ itemIndex, integrationId, originId: validation.item.origin_id, value: validation.item });
		} catch (error) {
			const reason = asNodeError(ctx, error);
			const message = `${reason.message.replace(/ \[item \d+\]$/, '')} [item ${itemIndex}]`;
			invalid.set(itemIndex, {
				error: new NodeOperationError(ctx.getNode(), message, { itemIndex, description: reason.description ?? undefined }),
			});
		}
	}
	const duplicates = findDuplicateOriginIds(entries);
	for (const entry of entries) {
		const others = duplicates.get(entry.itemIndex);
		if (!others) continue;
		invalid.set(entry.itemIndex, {
			error: new NodeOperationError(
				ctx.getNode(),
				`Invalid course: origin_id ${JSON.stringify(entry.originId)} is used by items ${[entry.itemIndex, ...others].sort((a, b) => a - b).join(' and ')} for integration ${entry.integrationId} [item ${entry.itemIndex}]`,
				{
					itemIndex: entry.itemIndex,
					description:
						'Kombo matches courses on origin ID, so two items with the same one would overwrite each other. Remove the duplicate rows (e.g. with a Remove Duplicates node) or give each course its own origin ID.',
				},
			),
		});
	}
	return { invalid, entries: entries.filter((entry) => !duplicates.has(entry.itemIndex)) };
}

async function submitBatches(
	ctx: IExecuteFunctions,
	connection: KomboConnection,
	batches: Array<Batch<KomboCourseItem>>,
	stopOnError: boolean,
): Promise<Submitted[]> {
	const limiters = new Map<string, ConcurrencyLimiter>();
	let stopped = false;
	return await mapWithConcurrency(batches, MAX_PARALLEL_POSTS, async (batch): Promise<Submitted> => {
		if (stopped) return { batch, warnings: [], submittedAt: clock.now() };
		let limiter = limiters.get(batch.integrationId);
		if (!limiter) {
			limiter = new ConcurrencyLimiter(MAX_PARALLEL_POSTS);
			limiters.set(batch.integrationId, limiter);
		}
		try {
			const response = await komboApiRequest<{ task_id?: unknown }>(
				ctx,
				connection,
				{
					method: 'POST',
					path: '/lms/courses/bulk',
					integrationId: batch.integrationId,
					body: { items: batch.entries.map((entry) => entry.value) } as unknown as IDataObject,
					limiter,
					itemIndex: batch.entries[0].itemIndex,
				},
			);
			const taskId = response.data?.task_id;
			if (typeof taskId !== 'string' || taskId === '') {
				throw new NodeOperationError(ctx.getNode(), 'Kombo accepted a batch but returned no task ID', {
					itemIndex: batch.entries[0].itemIndex,
				});
			}
			return { batch, taskId, warnings: response.warnings, submittedAt: clock.now() };
		} catch (error) {
			if (ctx.getExecutionCancelSignal()?.aborted) throw asNodeError(ctx, error);
			if (stopOnError) stopped = true;
			return { batch, warnings: [], submittedAt: clock.now(), error: error as NodeApiError };
		}
	});
}

/**
 * Reads a task's status; null while it is pending. A status check that fails even after the
 * transport's retries is no verdict on the task, which Kombo accepted and may still finish: the
 * task counts as pending, and the failure is kept to explain a timeout.
 */
async function fetchTask(
	ctx: IExecuteFunctions,
	connection: KomboConnection,
	submitted: Submitted,
	deadline: number,
	pollErrors: Map<string, string>,
): Promise<KomboTask | null> {
	const taskId = submitted.taskId as string;
	try {
		const response = await komboApiRequest<KomboTask>(ctx, connection, {
			method: 'GET',
			path: `/lms/courses/bulk/${encodeURIComponent(taskId)}`,
			integrationId: submitted.batch.integrationId,
			itemIndex: submitted.batch.entries[0].itemIndex,
			deadline,
		});
		pollErrors.delete(taskId);
		return isFinished(response.data) ? response.data : null;
	} catch (error) {
		if (ctx.getExecutionCancelSignal()?.aborted) throw asNodeError(ctx, error);
		pollErrors.set(taskId, (error as Error).message);
		return null;
	}
}

function pendingJson(outcome: CourseOutcome): IDataObject {
	return {
		origin_id: outcome.origin_id,
		status: 'PENDING',
		task_id: outcome.task_id,
		integration_id: outcome.integration_id,
		warnings: outcome.warnings,
	};
}

function failedCoursesError(ctx: IExecuteFunctions, failed: Array<CourseOutcome & { itemIndex: number }>, total: number, pending: number): NodeApiError {
	const listed = failed.slice(0, FAILED_COURSES_LISTED_MAX).map((outcome) => {
		const error = outcome.error;
		const code = error?.code ? ` (${error.code})` : '';
		const log = error?.log_url ? ` Log: ${error.log_url}` : '';
		return `${outcome.origin_id} [item ${outcome.itemIndex}]: ${error?.message}${code}.${log}`;
	});
	const more = failed.length > listed.length ? [`…and ${failed.length - listed.length} more.`] : [];
	const stillPending = pending > 0 ? [`${pending} more courses were still pending when the node stopped waiting.`] : [];
	const advice =
		'To keep the courses that succeeded flowing and handle the failed ones separately, set the node’s On Error setting to "Continue (using error output)".';
	return new NodeApiError(
		ctx.getNode(),
		{ message: `${failed.length} of ${total} courses failed in Kombo` },
		{
			message: `${failed.length} of ${total} courses failed in Kombo`,
			description: [...listed, ...more, ...stillPending, advice].join('\n'),
			itemIndex: failed[0].itemIndex,
		},
	);
}

function timeoutError(
	ctx: IExecuteFunctions,
	taskIds: string[],
	timeout: number,
	pollErrors: Map<string, string>,
): NodeOperationError {
	const failedChecks = taskIds
		.filter((taskId) => pollErrors.has(taskId))
		.map((taskId) => `The last status check of ${taskId} failed: ${pollErrors.get(taskId)}`);
	return new NodeOperationError(
		ctx.getNode(),
		`Kombo had not finished after ${timeout / 1000} s: task${taskIds.length > 1 ? 's' : ''} ${taskIds.join(', ')} still pending`,
		{
			description: [
				'The courses were accepted and Kombo keeps processing them. To wait longer, raise the Timeout option. For LMSs that take hours (SAP SuccessFactors creates one course every few minutes), turn Wait for Completion off and check later with the Get Upsert Task operation and these task IDs, e.g. after a Wait node.',
				...failedChecks,
			].join('\n'),
		},
	);
}

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const connection = await getConnection(this);
	const waitForCompletion = this.getNodeParameter('waitForCompletion', 0, true) as boolean;
	const batchSize = readBatchSize(this);
	const timeout = waitForCompletion ? timeoutMs(this) : 0;
	const deadline = clock.now() + timeout;

	const { invalid, entries } = collectCourses(this, connection, items);
	if (invalid.size > 0 && !continueOnFail) {
		const first = (invalid.get([...invalid.keys()].reduce((a, b) => Math.min(a, b))) as InvalidItem).error;
		if (invalid.size > 1) {
			first.description = `${first.description ?? ''}\n${invalid.size} of ${items.length} items are invalid; nothing was sent to Kombo.`.trim();
		}
		throw first;
	}

	const output = new Array<INodeExecutionData>(items.length);
	for (const [itemIndex, { error, problem }] of invalid) {
		output[itemIndex] = errorItem(
			error.message,
			{
				item: itemIndex,
				status: 'INVALID',
				field: problem?.field ?? null,
				value: problem?.value ?? null,
				description: error.description ?? null,
			},
			{ item: itemIndex },
		);
	}

	const batches = toBatches(entries, batchSize);
	const submitted = await submitBatches(this, connection, batches, !continueOnFail);
	const rejected = submitted.find((batch) => batch.error);
	if (rejected && !continueOnFail) {
		const sent = submitted.filter((batch) => batch.taskId).length;
		const error = rejected.error as NodeApiError;
		if (sent > 0) {
			error.description = `${error.description ?? ''}\n${sent} of ${batches.length} batches had been accepted before this error. Running the node again is safe: Kombo matches courses on origin ID.`.trim();
		}
		throw error;
	}

	const accepted = submitted.filter((batch) => batch.taskId !== undefined);
	const finished = new Map<Submitted, KomboTask>();
	const pollErrors = new Map<string, string>();
	if (waitForCompletion && accepted.length > 0) {
		const result = await pollUntilFinished({
			taskIds: accepted.map((batch, index) => ({ id: String(index), submittedAt: batch.submittedAt })),
			fetchTask: async (id) => await fetchTask(this, connection, accepted[Number(id)], deadline, pollErrors),
			deadline,
			concurrency: MAX_PARALLEL_POLLS,
			clock,
			signal: this.getExecutionCancelSignal(),
		});
		for (const [id, task] of result.finished) finished.set(accepted[Number(id)], task);
	}

	const failed: Array<CourseOutcome & { itemIndex: number }> = [];
	const pendingTasks = new Set<string>();
	for (const batch of submitted) {
		if (batch.error) {
			for (const entry of batch.batch.entries) {
				const error = batch.error;
				output[entry.itemIndex] = errorItem(
					error.message,
					{
						origin_id: entry.originId,
						status: 'FAILED',
						task_id: null,
						integration_id: batch.batch.integrationId,
						code: (error as NodeApiError).errorResponse?.code ?? null,
						log_url: (error as NodeApiError).errorResponse?.log_url ?? null,
						description: error.description ?? null,
					},
					{ item: entry.itemIndex },
				);
			}
			continue;
		}
		const task = waitForCompletion ? (finished.get(batch) ?? null) : null;
		const outcomes = courseOutcomes(
			batch.batch.entries.map((entry) => entry.originId),
			task,
			{ taskId: batch.taskId as string, integrationId: batch.batch.integrationId, warnings: batch.warnings },
		);
		outcomes.forEach((outcome, index) => {
			const itemIndex = batch.batch.entries[index].itemIndex;
			const pairedItem = { item: itemIndex };
			if (outcome.status === 'PENDING') {
				if (waitForCompletion) pendingTasks.add(outcome.task_id);
				output[itemIndex] = { json: pendingJson(outcome), pairedItem };
			} else if (outcome.status === 'FAILED') {
				failed.push({ ...outcome, itemIndex });
				output[itemIndex] = errorItem(
					outcome.error?.message ?? 'The course failed',
					{ ...outcome, description: outcome.error ? describeKomboError(outcome.error) : null },
					pairedItem,
				);
			} else {
				output[itemIndex] = { json: { ...outcome }, pairedItem };
			}
		});
	}

	if (!continueOnFail) {
		const pendingCourses = output.filter((item) => item.json.status === 'PENDING').length;
		if (failed.length > 0) throw failedCoursesError(this, failed, items.length, waitForCompletion ? pendingCourses : 0);
		if (pendingTasks.size > 0) throw timeoutError(this, [...pendingTasks], timeout, pollErrors);
	}
	return [output];
}
