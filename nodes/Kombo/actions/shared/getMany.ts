import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_LIST_LIMIT } from '../../helpers/constants';
import type { ListFilters } from '../../helpers/listing';
import { readDateTime, readIdList } from '../../helpers/listing';
import { errorItem } from '../../helpers/outputs';
import type { Runtime } from '../../helpers/runtime';
import { asNodeError, getConnection, KomboClient, komboErrorOf } from '../../transport';
import { integrationIdOption, integrationIdResolver } from '../course/common';

/** A list filter the user gives as IDs (or emails) separated by commas. */
export interface ListFilterField {
	/** The parameter's name inside Filters. */
	name: string;
	/** As the panel labels it. */
	label: string;
	description: string;
	placeholder: string;
}

/**
 * The panel of a Get Many operation: Return All, Limit, Filters (the common ones plus the
 * resource's own), Simplify and the Integration ID option. `plural` names the records in the
 * descriptions, e.g. "courses".
 */
export function getManyProperties(plural: string, ownFilters: INodeProperties[]): INodeProperties[] {
	const common: INodeProperties[] = [
		{
			displayName: 'IDs',
			name: 'ids',
			type: 'string',
			default: '',
			placeholder: 'e.g. B8yqb9WpZEPg2nGLCKVLM4rr, 26vafvWSRmbhNcxJYqjCzuJg',
			description: `Only the ${plural} with these Kombo IDs, separated by commas (or a list from an expression)`,
		},
		{
			displayName: 'Include Deleted',
			name: 'includeDeleted',
			type: 'boolean',
			default: false,
			description: `Whether to include ${plural} that were deleted in the LMS`,
		},
		{
			displayName: 'Remote IDs',
			name: 'remoteIds',
			type: 'string',
			default: '',
			placeholder: 'e.g. 1042, 1043',
			description: `Only the ${plural} with these IDs of the LMS's own, separated by commas (or a list from an expression)`,
		},
		{
			displayName: 'Updated After',
			name: 'updatedAfter',
			type: 'dateTime',
			default: '',
			description: `Only the ${plural} that changed after this time, in the workflow's time zone unless it names one`,
		},
	];
	return [
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
			options: [...common, ...ownFilters].sort((a, b) => a.displayName.localeCompare(b.displayName)),
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
}

/** One item's listing, as the panel asked for it. */
export interface GetManyRequest {
	itemIndex: number;
	integrationId: string;
	filters: ListFilters;
	/** The filters as entered, for a resource's own ones. */
	raw: IDataObject;
	limit?: number;
	simplify: boolean;
}

/** What a resource adds to the shared Get Many: its own list filters, and how it lists. */
export interface GetManyResource {
	/** The ID-list filters of this resource (ID_FILTERS and its own): [parameter name, label, key in ListFilters]. */
	idFilters: ReadonlyArray<readonly [string, string, keyof ListFilters]>;
	/** Lists one item's records, simplified when asked. */
	list: (client: KomboClient, request: GetManyRequest) => Promise<IDataObject[]>;
}

export function inputError(ctx: IExecuteFunctions, itemIndex: number, field: string, problem: string, hint: string) {
	return new NodeOperationError(ctx.getNode(), `'${field}' ${problem} [item ${itemIndex}]`, { itemIndex, description: hint });
}

/** The ID-list filters every Get Many has. */
export const ID_FILTERS: ReadonlyArray<readonly [string, string, keyof ListFilters]> = [
	['ids', 'IDs', 'ids'],
	['remoteIds', 'Remote IDs', 'remoteIds'],
];

/** One item's request: its integration, filters and limit, each checked and named when wrong. */
function readRequest(ctx: IExecuteFunctions, itemIndex: number, integrationIdOf: (itemIndex: number) => string, resource: GetManyResource): GetManyRequest {
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
	for (const [name, label, key] of resource.idFilters) {
		const ids = readIdList(raw[name]);
		if (!ids.ok) throw inputError(ctx, itemIndex, label, ids.problem, `Give ${label} separated by commas, e.g. a1, a2, or a list from an expression.`);
		// Stryker disable next-line ConditionalExpression: a readable ID list is undefined or not empty, and the query leaves undefined out
		if (ids.value) (filters[key] as string[]) = ids.value;
	}
	const simplify = ctx.getNodeParameter('simplify', itemIndex, true) as boolean;
	return { itemIndex, integrationId: integrationIdOf(itemIndex), filters, raw, limit, simplify };
}

/**
 * Lists once per input item, as n8n's Get Many operations do, so that each item's own filters and
 * integration apply; every record is paired with the item that asked for it. (For one listing
 * whatever the input, set the node to Execute Once.)
 */
export async function executeGetMany(ctx: IExecuteFunctions, runtime: Runtime, resource: GetManyResource): Promise<INodeExecutionData[][]> {
	const items = ctx.getInputData();
	const continueOnFail = ctx.continueOnFail();
	const client = new KomboClient(ctx, runtime, await getConnection(ctx));
	const integrationIdOf = integrationIdResolver(ctx, client.connection);
	const output: INodeExecutionData[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const pairedItem = { item: itemIndex };
		let request: GetManyRequest | undefined;
		try {
			request = readRequest(ctx, itemIndex, integrationIdOf, resource);
			for (const json of await resource.list(client, request)) output.push({ json, pairedItem });
		} catch (caught) {
			const error = asNodeError(ctx, caught);
			if (client.cancelled || !continueOnFail) throw error;
			const details: IDataObject = { integration_id: request?.integrationId ?? null, description: error.description ?? null };
			if (error.name === 'NodeApiError') details.error = komboErrorOf(error) as unknown as IDataObject;
			output.push(errorItem(error.message, details, pairedItem));
		}
	}
	return [output];
}
