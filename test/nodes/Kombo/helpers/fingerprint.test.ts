import { createHash } from 'crypto';

import { courseFingerprint } from '../../../../nodes/Kombo/helpers/fingerprint';

const hashOf = (text: string) => createHash('sha256').update(text).digest('base64url');

describe('courseFingerprint', () => {
	// The record of sent courses outlives the node's version: a fingerprint computed another way
	// after an update would make every unchanged course look changed, and send it again.
	it('hashes the course as compact JSON with its keys in order, as earlier versions stored it', () => {
		const item = {
			origin_id: 'c-1',
			course: { type: 'EXTERNAL' as const, title: 'Fire safety', course_url: 'https://x.test/1', duration: 45, languages: ['en', 'de'] },
		};
		const text =
			'{"course":{"course_url":"https://x.test/1","duration":45,"languages":["en","de"],"title":"Fire safety","type":"EXTERNAL"},"origin_id":"c-1"}';
		expect(courseFingerprint('int:a', item)).toBe(`int:a\tc-1\t${hashOf(text)}`);
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
});
