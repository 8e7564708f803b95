import { NodeApiError } from 'n8n-workflow';

import { mapWithConcurrency } from '../helpers/concurrency';
import { LIST_PAGE_SIZE_MAX, MAX_PARALLEL_LOOKUPS } from '../helpers/constants';
import type { ListFilters, Page, Reading } from '../helpers/listing';
import { chunkValues, listQuery } from '../helpers/listing';
import type { KomboClient } from '../transport';

/** One listing of Kombo's LMS data: GET /lms/courses, /lms/users or /lms/course-progressions. */
export interface Listing<T> {
	path: string;
	/** What one record is called in an error, e.g. "course" ("the same page of courses twice"). */
	noun: string;
	read: (data: unknown) => Reading<Page<T>>;
}

export interface ListRequest {
	integrationId: string;
	filters: ListFilters;
	/** Stop once this many records are listed; all of them when absent. */
	limit?: number;
	itemIndex?: number;
}

/**
 * Follows a listing page by page: 250 a page when listing everything, the limit (at most 250)
 * otherwise, stopping as soon as the limit is reached. Every page repeats the filters. A cursor
 * that comes back a second time would page forever, so it ends the listing with an error.
 */
export async function listAll<T>(client: KomboClient, listing: Listing<T>, request: ListRequest): Promise<T[]> {
	const { integrationId, filters, limit, itemIndex } = request;
	const pageSize = limit === undefined ? LIST_PAGE_SIZE_MAX : Math.min(limit, LIST_PAGE_SIZE_MAX);
	const records: T[] = [];
	const seen = new Set<string>();
	let cursor: string | undefined;
	for (;;) {
		const { data: page } = await client.request({
			method: 'GET',
			path: listing.path,
			query: listQuery(filters, pageSize, cursor),
			integrationId,
			itemIndex,
			read: listing.read,
		});
		for (const record of page.results) {
			records.push(record);
			// Stryker disable next-line ConditionalExpression: a count is never >= undefined, so the limit check only narrows the type
			if (limit !== undefined && records.length >= limit) return records;
		}
		if (page.next === null) return records;
		if (seen.has(page.next)) {
			const message = `Kombo returned the same page of ${listing.noun}s twice`;
			throw new NodeApiError(
				client.ctx.getNode(),
				{ message, integration_id: integrationId, request: `GET ${listing.path}` },
				{ message, description: `The cursor ${JSON.stringify(page.next)} came back after ${records.length} ${listing.noun}s, so following it would never end. Try again later; if it persists, contact Kombo support.`, itemIndex },
			);
		}
		seen.add(page.next);
		cursor = page.next;
	}
}

/**
 * Lists the records that match any of many values of one filter (learners by work email,
 * progressions by learner): the values go in groups that fit a request, a few groups at a time,
 * and each group is followed to its last page. Records come back once each, in the order first
 * listed (a record two groups list is the same record).
 */
export async function lookUp<T extends { id: string }>(
	client: KomboClient,
	listing: Listing<T>,
	request: { integrationId: string; values: readonly string[]; filtersFor: (chunk: string[]) => ListFilters; itemIndex?: number },
): Promise<T[]> {
	const chunks = chunkValues(request.values);
	const pages = await mapWithConcurrency(chunks, MAX_PARALLEL_LOOKUPS, async (chunk) =>
		await listAll(client, listing, { integrationId: request.integrationId, filters: request.filtersFor(chunk), itemIndex: request.itemIndex }),
	);
	const byId = new Map<string, T>();
	for (const records of pages) for (const record of records) byId.set(record.id, record);
	return [...byId.values()];
}
