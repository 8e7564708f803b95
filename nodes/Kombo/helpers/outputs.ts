import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { describeKomboError } from './errors';
import type { CourseOutcome, KomboError } from './results';

export type PairedItem = INodeExecutionData['pairedItem'];

/**
 * An item that n8n sends to the error output under "Continue (using error output)": its json
 * holds nothing but `error` and `details`, and n8n puts the input row underneath.
 */
export function errorItem(message: string, details: IDataObject, pairedItem: PairedItem): INodeExecutionData {
	return { json: { error: message, details }, pairedItem };
}

/**
 * The json of a course's outcome, with the columns a user looks for first. `error` appears only
 * when there is one, and `warnings` only when Kombo sent some: an always-present empty list shows
 * as "[empty array]" in every row of n8n's table, which reads like a fault, and later nodes can
 * test `$json.warnings` just as well when it is absent.
 */
export function outcomeJson(outcome: CourseOutcome, extra: IDataObject = {}): IDataObject {
	const json: IDataObject = { origin_id: outcome.origin_id, status: outcome.status, course_id: outcome.course_id };
	if (outcome.error) json.error = outcome.error as unknown as IDataObject;
	json.task_id = outcome.task_id;
	json.integration_id = outcome.integration_id;
	Object.assign(json, extra);
	if (outcome.warnings.length > 0) json.warnings = outcome.warnings;
	return json;
}

/**
 * The item for a course's outcome. A failed course becomes an error item whose details are the
 * outcome plus how to fix it; a pending or succeeded course is a plain item. A pending course
 * whose task Kombo could not report on carries the reason as `error`.
 */
export function courseItem(outcome: CourseOutcome, pairedItem: PairedItem, extra: IDataObject = {}): INodeExecutionData {
	if (outcome.status !== 'FAILED') return { json: outcomeJson(outcome, extra), pairedItem };
	const error = outcome.error as KomboError;
	return errorItem(error.message, outcomeJson(outcome, { description: describeKomboError(error) || null, ...extra }), pairedItem);
}

/** One thing wrong with an item: the field at fault (null when the item could not be read), its value, and how to fix it. */
export interface ItemProblem {
	field: string | null;
	value: unknown;
	message: string;
	fix: string | null;
}

export interface InvalidItem {
	itemIndex: number;
	message: string;
	description: string | null;
	/** The first field at fault, when validation (not mapping or a duplicate) rejected the item. */
	field: string | null;
	value: unknown;
	originId: string | null;
	/** Every problem found, in field order (Validate Only lists them all). */
	problems?: ItemProblem[];
}

export function invalidItem(invalid: InvalidItem): INodeExecutionData {
	return errorItem(
		invalid.message,
		{
			origin_id: invalid.originId,
			status: 'INVALID',
			item: invalid.itemIndex,
			field: invalid.field,
			value: invalid.value as IDataObject[keyof IDataObject],
			description: invalid.description,
		},
		{ item: invalid.itemIndex },
	);
}

/** Output slots per input item, flattened in input order; an empty slot contributes nothing. */
export function inInputOrder(slots: Array<INodeExecutionData[] | undefined>): INodeExecutionData[] {
	const output: INodeExecutionData[] = [];
	for (const slot of slots) if (slot) output.push(...slot);
	return output;
}
