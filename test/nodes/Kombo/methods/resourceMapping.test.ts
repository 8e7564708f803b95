import type { ILoadOptionsFunctions } from 'n8n-workflow';

import { COURSE_FIELDS, FIELD_LABELS } from '../../../../nodes/Kombo/helpers/course';
import { getCourseFields } from '../../../../nodes/Kombo/methods/resourceMapping';

async function fields() {
	return (await getCourseFields.call({} as ILoadOptionsFunctions)).fields;
}

describe('getCourseFields', () => {
	it('offers every course field once, the required ones first', async () => {
		const ids = (await fields()).map((field) => field.id);
		expect([...ids].sort()).toEqual([...COURSE_FIELDS].sort());
		expect(ids.slice(0, 3)).toEqual(['origin_id', 'title', 'course_url']);
	});

	it.each(COURSE_FIELDS.map((field) => [field, FIELD_LABELS[field]]))('labels %s %p, as messages name it', async (id, label) => {
		expect((await fields()).find((field) => field.id === id)?.displayName).toBe(label);
	});

	it('requires Origin ID, Title and Course URL only, and matches on Origin ID', async () => {
		const all = await fields();
		expect(all.filter((field) => field.required).map((field) => field.id)).toEqual(['origin_id', 'title', 'course_url']);
		expect(all.filter((field) => field.canBeUsedToMatch).map((field) => field.id)).toEqual(['origin_id']);
	});

	it('types every field as text, so that the node reads cells itself', async () => {
		expect(new Set((await fields()).map((field) => field.type))).toEqual(new Set(['string']));
	});
});
