import type { Entry } from '../../../../nodes/Kombo/helpers/batching';
import { toBatches } from '../../../../nodes/Kombo/helpers/batching';
import { findDuplicateOriginIds } from '../../../../nodes/Kombo/helpers/duplicates';

function entries(count: number, integrationOf: (index: number) => string = () => 'int:a'): Array<Entry<string>> {
	return Array.from({ length: count }, (_, itemIndex) => ({
		itemIndex,
		integrationId: integrationOf(itemIndex),
		originId: `c-${itemIndex}`,
		value: `course ${itemIndex}`,
	}));
}

describe('toBatches', () => {
	it('splits 250 courses into 3 requests of at most 100, in input order', () => {
		const batches = toBatches(entries(250), 100);
		expect(batches.map((batch) => batch.entries.length)).toEqual([100, 100, 50]);
		expect(batches.flatMap((batch) => batch.entries.map((entry) => entry.itemIndex))).toEqual(
			Array.from({ length: 250 }, (_, index) => index),
		);
	});

	it('never mixes integrations in one batch', () => {
		const batches = toBatches(entries(5, (index) => (index % 2 === 0 ? 'int:a' : 'int:b')), 10);
		expect(batches.map((batch) => [batch.integrationId, batch.entries.map((entry) => entry.itemIndex)])).toEqual([
			['int:a', [0, 2, 4]],
			['int:b', [1, 3]],
		]);
	});

	it.each([
		[1, 1, 1],
		[100, 100, 1],
		[101, 100, 2],
		[1000, 1000, 1],
		[7, 1, 7],
	])('%i courses with batch size %i make %i batches', (count, size, expected) => {
		expect(toBatches(entries(count), size)).toHaveLength(expected);
	});

	it('makes no batch for no courses', () => {
		expect(toBatches([], 100)).toEqual([]);
	});
});

describe('findDuplicateOriginIds', () => {
	it('names the other items that share an origin id in the same integration', () => {
		const list = entries(4);
		list[3].originId = 'c-1';
		expect([...findDuplicateOriginIds(list)]).toEqual([
			[1, [3]],
			[3, [1]],
		]);
	});

	it('allows the same origin id in two integrations', () => {
		const list = entries(2, (index) => (index === 0 ? 'int:a' : 'int:b'));
		list[1].originId = 'c-0';
		expect(findDuplicateOriginIds(list).size).toBe(0);
	});
});
