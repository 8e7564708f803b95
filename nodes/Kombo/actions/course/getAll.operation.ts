import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { listCourses } from '../../engine/courses';
import { DEFAULT_LIST_LIMIT } from '../../helpers/constants';
import type { ListFilters } from '../../helpers/lmsCourses';
import { readDateTime, readIdList, simplifyCourse } from '../../helpers/lmsCourses';
import { errorItem } from '../../helpers/outputs';
import type { Runtime } from '../../helpers/runtime';
import { asNodeError, getConnection, KomboClient, komboErrorOf } from '../../transport';
import { integrationIdOption, integrationIdResolver } from './common';

const properties: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		default: 50,
		typeOptions: { minValue: 1 },
		displayOptions: { show: { returnAll: [false] } },
		description: 'Max number of results to return',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'IDs',
				name: 'ids',
				type: 'string',
				default: '',
				placeholder: 'e.g. B8yqb9WpZEPg2nGLCKVLM4rr, 26vafvWSRmbhNcxJYqjCzuJg',
				description: "Only the courses with these Kombo IDs, separated by commas (or a list from an expression)",
			},
			{
				displayName: 'Include Deleted',
				name: 'includeDeleted',
				type: 'boolean',
				default: false,
				description: 'Whether to include courses that were deleted in the LMS',
			},
			{
				displayName: 'Remote IDs',
				name: 'remoteIds',
				type: 'string',
				default: '',
				placeholder: 'e.g. 1042, 1043',
				description: "Only the courses with these IDs of the LMS's own, separated by commas (or a list from an expression)",
			},
			{
				displayName: 'Updated After',
				name: 'updatedAfter',
				type: 'dateTime',
				default: '',
				description: "Only the courses that changed after this time, in the workflow's time zone unless it names one",
			},
		],
	},
	{
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description: 'Whether to return a simplified version of the response instead of the raw data',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				...integrationIdOption,
				description: "Read from this integration instead of the credential's. May be an expression, e.g. one integration per input item.",
			},
		],
	},
];

export const description = updateDisplayOptions({ show: { resource: ['course'], operation: ['getAll'] } }, properties);

interface ListRequest {
	integrationId: string;
	filters: ListFilters;
	limit?: number;
	simplify: boolean;
}

function inputError(ctx: IExecuteFunctions, itemIndex: number, field: string, problem: string, hint: string) {
	return new NodeOperationError(ctx.getNode(), `'${field}' ${problem} [item ${itemIndex}]`, { itemIndex, description: hint });
}

/** One item's request: its integration, filters and limit, each checked and named when wrong. */
function readRequest(ctx: IExecuteFunctions, itemIndex: number, integrationIdOf: (itemIndex: number) => string): ListRequest {
	const returnAll = ctx.getNodeParameter('returnAll', itemIndex, false) as boolean;
	let limit: number | undefined;
	if (!returnAll) {
		limit = Number(ctx.getNodeParameter('limit', itemIndex, DEFAULT_LIST_LIMIT));
		if (!Number.isInteger(limit) || limit < 1) {
			throw inputError(ctx, itemIndex, 'Limit', `must be a whole number of at least 1, got ${JSON.stringify(limit)}`, 'Set Limit to e.g. 50, or turn Return All on.');
		}
	}
	const raw = ctx.getNodeParameter('filters', itemIndex, {}) as IDataObject;
	const filters: ListFilters = {};
	const updatedAfter = readDateTime(raw.updatedAfter, ctx.getTimezone());
	if (!updatedAfter.ok) throw inputError(ctx, itemIndex, 'Updated After', updatedAfter.problem, 'Pick a date in the date picker, or give an ISO 8601 date and time such as 2026-01-31T08:00:00 or {{ $now.minus({ days: 1 }) }}.');
	// Stryker disable next-line ConditionalExpression: the listing's query leaves an undefined filter out, as it does a missing one
	if (updatedAfter.value !== undefined) filters.updatedAfter = updatedAfter.value;
	if (raw.includeDeleted !== undefined) filters.includeDeleted = raw.includeDeleted === true;
	for (const [name, label, key] of [
		['ids', 'IDs', 'ids'],
		['remoteIds', 'Remote IDs', 'remoteIds'],
	] as const) {
		const ids = readIdList(raw[name]);
		if (!ids.ok) throw inputError(ctx, itemIndex, label, ids.problem, `Give ${label} separated by commas, e.g. a1, a2, or a list from an expression.`);
		// Stryker disable next-line ConditionalExpression: a readable ID list is undefined or not empty, and the query leaves undefined out
		if (ids.value) filters[key] = ids.value;
	}
	const simplify = ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
	return { integrationId: integrationIdOf(itemIndex), filters, limit, simplify };
}

/**
 * Lists courses once per input item, as n8n's Get Many operations do, so that each item's own
 * filters and integration apply; every course is paired with the item that asked for it. (For
 * one listing whatever the input, set the node to Execute Once.)
 */
export async function execute(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const client = new KomboClient(this, runtime, await getConnection(this));
	const integrationIdOf = integrationIdResolver(this, client.connection);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		let request: ListRequest | undefined;
		try {
			request = readRequest(this, itemIndex, integrationIdOf);
			const courses = await listCourses(client, { integrationId: request.integrationId, filters: request.filters, limit: request.limit, itemIndex });
			const simplify = request.simplify;
			for (const course of courses) output.push({ json: (simplify ? simplifyCourse(course) : course) as IDataObject, pairedItem });
		} catch (caught) {
			const error = asNodeError(this, caught);
			if (client.cancelled || !continueOnFail) throw error;
			const details: IDataObject = { integration_id: request?.integrationId ?? null, description: error.description ?? null };
			if (error.name === 'NodeApiError') details.error = komboErrorOf(error) as unknown as IDataObject;
			output.push(errorItem(error.message, details, pairedItem));
		}
	}
	return [output];
}
