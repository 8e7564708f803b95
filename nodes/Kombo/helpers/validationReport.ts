import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Entry } from './batching';
import type { KomboCourseItem } from './course';
import type { InvalidItem } from './outputs';
import { inInputOrder } from './outputs';

/**
 * Validate Only's report, one item per input item in input order and paired with it, all on the
 * main output (it is a report, not a failure): a valid item with the exact course body that would
 * be sent, an invalid one with every problem and how to fix it.
 */
export function validationReport(itemCount: number, entries: Array<Entry<KomboCourseItem>>, invalid: InvalidItem[]): INodeExecutionData[] {
	// Stryker disable next-line ArrayDeclaration: inInputOrder skips unfilled slots, so the starting length shows only as new Array's RangeError for a count that is no list's length
	const slots = new Array<INodeExecutionData[] | undefined>(itemCount);
	for (const entry of entries) {
		slots[entry.itemIndex] = [
			{
				json: { origin_id: entry.originId, status: 'VALID', course: entry.value.course as unknown as IDataObject, integration_id: entry.integrationId },
				pairedItem: { item: entry.itemIndex },
			},
		];
	}
	for (const each of invalid) {
		const problems = each.problems ?? [{ field: each.field, value: each.value, message: each.message, fix: each.description }];
		slots[each.itemIndex] = [
			{
				json: { origin_id: each.originId, status: 'INVALID', problems: problems as unknown as IDataObject[] },
				pairedItem: { item: each.itemIndex },
			},
		];
	}
	return inInputOrder(slots);
}
