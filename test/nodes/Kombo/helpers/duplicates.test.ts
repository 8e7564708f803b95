import type { Entry } from '../../../../nodes/Kombo/helpers/batching';
import { duplicateProblem } from '../../../../nodes/Kombo/helpers/duplicates';

function entry(itemIndex: number, originId = 'c-1'): Entry<string> {
	return { itemIndex, integrationId: 'int:a', originId, value: `course ${itemIndex}` };
}

describe('duplicateProblem', () => {
	it('names the origin ID, the integration and both items', () => {
		expect(duplicateProblem(entry(1), [4])).toBe('Origin ID (origin_id) "c-1" is used by items 1 and 4 for integration int:a');
	});

	it.each<[number, number[], string]>([
		[4, [1], '1 and 4'],
		[12, [3, 10], '3 and 10 and 12'],
		[5, [9, 2], '2 and 5 and 9'],
	])('names the items in input order, whichever of them item %i is', (itemIndex, others, items) => {
		expect(duplicateProblem(entry(itemIndex), others)).toContain(`is used by items ${items} for`);
	});
});
