'use strict';

// Deterministic course rows for the benchmark: the same N always gives the same data, so the node,
// the floor and the per-item runs send identical courses.

const BATCH_SIZE = 100;

/**
 * A row already shaped like Kombo's course fields, as auto-mapped input would be.
 * @param {number} index
 */
function courseRow(index) {
	return {
		origin_id: `sku-${String(index).padStart(6, '0')}`,
		title: `Course ${index}: Working Safely with Customer Data`,
		description:
			'How to handle personal data responsibly: what counts as personal data, where to keep it, and what to do when something goes wrong.',
		course_url: `https://academy.example.com/courses/${index}`,
		thumbnail_url: `https://cdn.example.com/thumbnails/${index}.png`,
		duration: 15 + (index % 12) * 5,
		languages: index % 3 === 0 ? ['en', 'de'] : ['en'],
	};
}

/**
 * The same course as a spreadsheet row: other column names, text cells, languages as "en, de".
 * @param {number} index
 */
function sheetRow(index) {
	const course = courseRow(index);
	return {
		SKU: course.origin_id,
		Name: course.title,
		Summary: course.description,
		Link: course.course_url,
		Image: course.thumbnail_url,
		Minutes: String(course.duration),
		Languages: course.languages.join(', '),
	};
}

/**
 * Rows as a previous node hands them over: parsed from JSON, so that their strings are flat (a
 * template literal's string would be flattened, that is copied, by the first method called on it).
 * @param {number} count @param {'auto' | 'expressions'} [shape]
 */
function courseRows(count, shape = 'auto') {
	const make = shape === 'expressions' ? sheetRow : courseRow;
	return Array.from({ length: count }, (_, index) => JSON.parse(JSON.stringify(make(index))));
}

const AUTO_MAP_COLUMNS = { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] };

const FIELD_IDS = ['origin_id', 'title', 'description', 'course_url', 'thumbnail_url', 'duration', 'languages'];

/** Fields defined below, each an expression over the sheet row: what a user builds in the editor. */
const EXPRESSION_COLUMNS = {
	mappingMode: 'defineBelow',
	value: {
		origin_id: '={{ $json.SKU }}',
		title: '={{ $json.Name }}',
		description: '={{ $json.Summary }}',
		course_url: '={{ $json.Link }}',
		thumbnail_url: '={{ $json.Image }}',
		duration: '={{ $json.Minutes }}',
		languages: '={{ $json.Languages }}',
	},
	matchingColumns: ['origin_id'],
	schema: FIELD_IDS.map((id) => ({
		id,
		displayName: id,
		required: ['origin_id', 'title', 'course_url'].includes(id),
		defaultMatch: id === 'origin_id',
		display: true,
		type: 'string',
		canBeUsedToMatch: id === 'origin_id',
	})),
};

/** The body the floor sends for one batch of rows: Kombo's shape, no checks. @param {ReturnType<typeof courseRow>[]} rows */
function bulkBody(rows) {
	return {
		items: rows.map((row) => ({
			origin_id: row.origin_id,
			course: {
				type: 'EXTERNAL',
				title: row.title,
				description: row.description,
				course_url: row.course_url,
				thumbnail_url: row.thumbnail_url,
				duration: row.duration,
				languages: row.languages,
			},
		})),
	};
}

module.exports = {
	BATCH_SIZE,
	courseRow,
	courseRows,
	sheetRow,
	bulkBody,
	AUTO_MAP_COLUMNS,
	EXPRESSION_COLUMNS,
	FIELD_IDS,
};
