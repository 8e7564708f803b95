import { createHash } from 'crypto';

import { courseFingerprint } from '../../../../nodes/Kombo/helpers/fingerprint';

const hashOf = (text: string) => createHash('sha256').update(text).digest('base64url').slice(0, 16);

describe('courseFingerprint', () => {
	// The record of confirmed courses outlives the node's version: a fingerprint computed another
	// way after an update would make every unchanged course look changed, and send it again.
	it('hashes the integration and the course as compact JSON with its keys in order, kept to 16 characters', () => {
		const item = {
			origin_id: 'c-1',
			course: { type: 'EXTERNAL' as const, title: 'Fire safety', course_url: 'https://x.test/1', duration: 45, languages: ['en', 'de'] },
		};
		const text =
			'["int:a",{"course":{"course_url":"https://x.test/1","duration":45,"languages":["en","de"],"title":"Fire safety","type":"EXTERNAL"},"origin_id":"c-1"}]';
		expect(courseFingerprint('int:a', item)).toBe(hashOf(text));
		expect(courseFingerprint('int:a', item)).toMatch(/^[A-Za-z0-9_-]{16}$/);
	});

	it('gives the same fingerprint whatever the order of the fields, leaving out fields not given', () => {
		const course = { type: 'EXTERNAL' as const, title: 't', course_url: 'https://x.test', duration: 5 };
		const fingerprints = [
			courseFingerprint('i', { origin_id: 'o', course }),
			courseFingerprint('i', { course: { duration: 5, title: 't', course_url: 'https://x.test', type: 'EXTERNAL', description: undefined }, origin_id: 'o' }),
			courseFingerprint('i', { origin_id: 'o', course: { course_url: 'https://x.test', type: 'EXTERNAL', duration: 5, title: 't' } }),
		];
		expect(new Set(fingerprints).size).toBe(1);
	});

	it('tells apart integrations, origin IDs, and the order of languages', () => {
		const course = { type: 'EXTERNAL' as const, title: 't', course_url: 'https://x.test', languages: ['en', 'de'] };
		const base = courseFingerprint('i', { origin_id: 'o', course });
		expect(courseFingerprint('j', { origin_id: 'o', course })).not.toBe(base);
		expect(courseFingerprint('i', { origin_id: 'p', course })).not.toBe(base);
		expect(courseFingerprint('i', { origin_id: 'o', course: { ...course, languages: ['de', 'en'] } })).not.toBe(base);
	});
});
