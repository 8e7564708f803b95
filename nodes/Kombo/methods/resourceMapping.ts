import type { ILoadOptionsFunctions, ResourceMapperField, ResourceMapperFields } from 'n8n-workflow';

// Every field is typed `string` on purpose: n8n converts typed values before the node sees them
// (a blank number cell becomes 0, "en, de" fails an array check), while the node's own
// validation understands what a spreadsheet means by them.
const COURSE_MAPPER_FIELDS: Array<Pick<ResourceMapperField, 'id' | 'displayName' | 'required'>> = [
	{ id: 'origin_id', displayName: 'Origin ID', required: true },
	{ id: 'title', displayName: 'Title', required: true },
	{ id: 'course_url', displayName: 'Course URL', required: true },
	{ id: 'description', displayName: 'Description', required: false },
	{ id: 'thumbnail_url', displayName: 'Thumbnail URL', required: false },
	{ id: 'duration', displayName: 'Duration (Minutes)', required: false },
	{ id: 'languages', displayName: 'Languages', required: false },
];

export async function getCourseFields(this: ILoadOptionsFunctions): Promise<ResourceMapperFields> {
	return {
		fields: COURSE_MAPPER_FIELDS.map((field) => ({
			...field,
			defaultMatch: field.id === 'origin_id',
			canBeUsedToMatch: field.id === 'origin_id',
			display: true,
			type: 'string',
		})),
	};
}
