import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { deactivateCourse, listCourses } from '../../engine/courses';
import type { Entry } from '../../helpers/batching';
import { mapWithConcurrency } from '../../helpers/concurrency';
import { DEACTIVATIONS_LISTED_MAX, DEFAULT_MAX_SHARE_DEACTIVATED_PERCENT, MAX_PARALLEL_LISTINGS } from '../../helpers/constants';
import type { KomboCourseItem } from '../../helpers/course';
import { errorItem } from '../../helpers/outputs';
import type { IntegrationRetirement, RetirementCandidate, RunHealth } from '../../helpers/retire';
import { decideRetirement, refusalText, selectRetirement } from '../../helpers/retire';
import type { KomboClient } from '../../transport';
import { asNodeError, komboErrorOf, SkippedRequest } from '../../transport';

const showWhenDeactivating = { show: { deactivateMissing: [true] } };

/** The Create or Update options of this step, in the Options collection (sorted in there). */
export const deactivateMissingOptions: INodeProperties[] = [
	{
		displayName: 'Deactivate Courses Not in Input',
		name: 'deactivateMissing',
		type: 'boolean',
		default: false,
		description:
			'Whether to deactivate, once every course of the run has a result, the courses this API created in Kombo (they have an origin ID) that are missing from the input, per integration. Needs Wait for Completion. Nothing is deactivated if an item is invalid, a course failed or is still pending, or more than Max Share Deactivated (%) would go. Courses the LMS made itself are never touched.',
	},
	{
		displayName: 'Max Share Deactivated (%)',
		name: 'maxShareDeactivated',
		type: 'number',
		default: DEFAULT_MAX_SHARE_DEACTIVATED_PERCENT,
		typeOptions: { minValue: 0, maxValue: 100 },
		displayOptions: showWhenDeactivating,
		description:
			'The most one run may deactivate, as a share of the active courses in scope in each integration. If more would go (a run over part of the catalogue looks like that), nothing is deactivated and the node says what would have been.',
	},
	{
		displayName: 'Origin ID Prefix',
		name: 'originIdPrefix',
		type: 'string',
		default: '',
		placeholder: 'e.g. CAT-',
		displayOptions: showWhenDeactivating,
		description:
			'Only courses whose origin ID starts with this are in scope, so that two catalogues can share one integration. Empty: every course created through the API.',
	},
	{
		displayName: 'Preview Only',
		name: 'previewOnly',
		type: 'boolean',
		default: false,
		displayOptions: showWhenDeactivating,
		description:
			'Whether to output the courses that would be deactivated, with status WOULD_DEACTIVATE, without deactivating any. The safety checks apply as in a real run.',
	},
];

export interface DeactivateMissingOptions {
	originIdPrefix: string;
	maxSharePercent: number;
	preview: boolean;
}

/** The step's options, or undefined when it is off; refuses a configuration it cannot work with. */
export function readDeactivateMissingOptions(ctx: IExecuteFunctions, waitForCompletion: boolean): DeactivateMissingOptions | undefined {
	if (ctx.getNodeParameter('options.deactivateMissing', 0, false) !== true) return undefined;
	if (!waitForCompletion) {
		throw new NodeOperationError(ctx.getNode(), 'Deactivate Courses Not in Input needs Wait for Completion', {
			description:
				'Which courses left the catalogue is only clear once every course of the run has a result. Turn Wait for Completion on, or turn Deactivate Courses Not in Input off.',
		});
	}
	const maxSharePercent = Number(ctx.getNodeParameter('options.maxShareDeactivated', 0, DEFAULT_MAX_SHARE_DEACTIVATED_PERCENT));
	if (!Number.isFinite(maxSharePercent) || maxSharePercent < 0 || maxSharePercent > 100) {
		throw new NodeOperationError(ctx.getNode(), `Max Share Deactivated (%) must be a number from 0 to 100, got ${maxSharePercent}`, {
			description: 'Set Max Share Deactivated (%) to e.g. 10: at most a tenth of the courses in scope may go in one run.',
		});
	}
	return {
		originIdPrefix: String(ctx.getNodeParameter('options.originIdPrefix', 0, '') ?? ''),
		maxSharePercent,
		preview: ctx.getNodeParameter('options.previewOnly', 0, false) === true,
	};
}

/** Adds to a run's error that the deactivation step did not run. */
export function noteNothingDeactivated<E extends NodeApiError | NodeOperationError>(error: E): E {
	// Stryker disable next-line MethodExpression: every error given here (the transport's, the run's) has a description that starts with a word, so there is nothing to trim
	error.description = `${error.description ?? ''} Nothing was deactivated (Deactivate Courses Not in Input): that needs a run in which every course succeeds.`.trim();
	return error;
}

interface IntegrationInput {
	integrationId: string;
	/** The first input item for the integration: what its retirement items are paired with. */
	firstItem: number;
	originIds: Set<string>;
}

/** The run's input per integration, in order of first appearance. */
function inputsByIntegration(entries: Array<Entry<KomboCourseItem>>): IntegrationInput[] {
	const inputs = new Map<string, IntegrationInput>();
	for (const entry of entries) {
		let input = inputs.get(entry.integrationId);
		if (!input) {
			input = { integrationId: entry.integrationId, firstItem: entry.itemIndex, originIds: new Set() };
			inputs.set(entry.integrationId, input);
		}
		input.originIds.add(entry.originId);
	}
	return [...inputs.values()];
}

/** The json of a retired (or, in a preview, retirable) course; key order as a course outcome's. */
function retirementJson(candidate: RetirementCandidate, status: 'DEACTIVATED' | 'WOULD_DEACTIVATE', integrationId: string, warnings: string[] = []): IDataObject {
	const json: IDataObject = { origin_id: candidate.origin_id, status, course_id: candidate.course_id, task_id: null, integration_id: integrationId };
	if (warnings.length > 0) json.warnings = warnings;
	return json;
}

export interface DeactivateMissingRun {
	entries: Array<Entry<KomboCourseItem>>;
	health: RunHealth;
	options: DeactivateMissingOptions;
	continueOnFail: boolean;
}

/**
 * After the run: lists each integration's courses, picks the ones to retire, decides whether that
 * is safe, and deactivates them (or, previewing, only lists them). Returns the items to add to the
 * output. Each is paired with the first input item of its integration: a retired course has no
 * input item, and that one carries the integration (and, when the Integration ID option is an
 * expression, the customer); pairing with every input item would give each of, say, 1,000 retired
 * courses 100,000 pairs, which n8n copies into the execution data and on to later nodes.
 * Without Continue On Fail a refusal or failure throws; with it, it becomes an error item.
 */
export async function deactivateMissing(ctx: IExecuteFunctions, client: KomboClient, run: DeactivateMissingRun): Promise<INodeExecutionData[]> {
	const { options, continueOnFail } = run;
	const inputs = inputsByIntegration(run.entries);
	let retirements: IntegrationRetirement[];
	try {
		const listed = await mapWithConcurrency(inputs, MAX_PARALLEL_LISTINGS, async (input) =>
			await listCourses(client, { integrationId: input.integrationId, filters: { includeDeleted: false }, itemIndex: input.firstItem }),
		);
		retirements = inputs.map((input, index) => selectRetirement(input.integrationId, listed[index], input.originIds, options.originIdPrefix));
	} catch (caught) {
		const error = asNodeError(ctx, caught);
		if (client.cancelled) throw error;
		// Stryker disable next-line MethodExpression: a listing's error (the transport's, or the repeated cursor's) has a description that starts with a word, so there is nothing to trim
		error.description = `${error.description ?? ''} The courses were sent as reported; nothing was deactivated, since the courses in Kombo could not be listed.`.trim();
		if (!continueOnFail) throw error;
		// Stryker disable next-line OptionalChaining: a listing failed, so there was an integration to list
		return [errorItem(error.message, { status: 'NOT_DEACTIVATED', description: error.description ?? null }, { item: inputs[0]?.firstItem ?? 0 })];
	}

	const firstItemOf = new Map(inputs.map((input) => [input.integrationId, input.firstItem]));
	const decision = decideRetirement(run.health, retirements, options.maxSharePercent);
	if (!decision.go) {
		const { message, description } = refusalText(decision, retirements, options.maxSharePercent, options.preview);
		const withCandidates = retirements.filter((retirement) => retirement.candidates.length > 0);
		if (!continueOnFail) throw new NodeOperationError(ctx.getNode(), message, { description });
		const details: IDataObject = {
			status: 'NOT_DEACTIVATED',
			would_deactivate: withCandidates.reduce((sum, retirement) => sum + retirement.candidates.length, 0),
			origin_ids: withCandidates.flatMap((retirement) => retirement.candidates.slice(0, DEACTIVATIONS_LISTED_MAX).map((candidate) => candidate.origin_id)),
			integration_ids: withCandidates.map((retirement) => retirement.integrationId),
			description,
		};
		return [errorItem(message, details, { item: firstItemOf.get(withCandidates[0].integrationId) ?? 0 })];
	}

	const work = retirements.flatMap((retirement) => retirement.candidates.map((candidate) => ({ candidate, integrationId: retirement.integrationId })));
	if (options.preview) {
		return work.map(({ candidate, integrationId }) => ({
			json: retirementJson(candidate, 'WOULD_DEACTIVATE', integrationId),
			pairedItem: { item: firstItemOf.get(integrationId) ?? 0 },
		}));
	}

	// All queue at once; each integration's write lane in the transport lets a few through at a
	// time, as for the batches. After a failure (without Continue On Fail) none is sent any more.
	type Result = { warnings: string[] } | { error: NodeApiError | NodeOperationError } | { skipped: true };
	let stopped = false;
	const wanted = () => !stopped;
	const results = await Promise.all(work.map(async ({ candidate, integrationId }): Promise<Result> => {
		// Stryker disable next-line LogicalOperator: the index reaches only the deactivation's own errors, which this step replaces by its own error or by an item paired below, so no error shown carries it
		const itemIndex = firstItemOf.get(integrationId) ?? 0;
		try {
			const deactivation = await deactivateCourse(client, { integrationId, courseId: candidate.course_id, itemIndex, wanted });
			return { warnings: deactivation.warnings };
		} catch (caught) {
			// Stryker disable next-line ObjectLiteral,BooleanLiteral: a skipped result is told apart only by having neither warnings nor an error
			if (caught instanceof SkippedRequest) return { skipped: true };
			const error = asNodeError(ctx, caught);
			if (client.cancelled) throw error;
			stopped = stopped || !continueOnFail;
			return { error };
		}
	}));

	const failures = results.flatMap((result, index) => ('error' in result ? [{ ...work[index], error: result.error }] : []));
	if (failures.length > 0 && !continueOnFail) {
		const done = results.filter((result) => 'warnings' in result).length;
		const [first] = failures;
		const message = `Could not deactivate course ${first.candidate.origin_id} (${first.candidate.course_id}) in ${first.integrationId}: ${first.error.message}`;
		// Stryker disable next-line MethodExpression: every deactivation error (the transport's, or a missing course's) has a description, so nothing is empty to leave out
		const description = [
			`${done} of ${work.length} courses missing from the input were deactivated before this error; the rest were not tried.`,
			first.error.description ?? '',
			'Running the node again is safe: it deactivates what is still active and missing.',
		]
			.filter(Boolean)
			.join(' ');
		const httpCode = (first.error as NodeApiError).httpCode ?? undefined;
		throw new NodeApiError(ctx.getNode(), { message, origin_id: first.candidate.origin_id, course_id: first.candidate.course_id }, { message, description, httpCode });
	}

	const output: INodeExecutionData[] = [];
	results.forEach((result, index) => {
		const { candidate, integrationId } = work[index];
		const pairedItem = { item: firstItemOf.get(integrationId) ?? 0 };
		if ('warnings' in result) {
			output.push({ json: retirementJson(candidate, 'DEACTIVATED', integrationId, result.warnings), pairedItem });
		} else if ('error' in result) {
			const details: IDataObject = {
				...retirementJson(candidate, 'DEACTIVATED', integrationId),
				status: 'DEACTIVATION_FAILED',
				error: komboErrorOf(result.error) as unknown as IDataObject,
				description: result.error.description ?? null,
			};
			output.push(errorItem(result.error.message, details, pairedItem));
		}
	});
	return output;
}
