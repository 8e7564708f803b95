import { createHash } from 'crypto';

import { FINGERPRINT_CHARS } from './constants';
import type { KomboCourseItem } from './course';

/** JSON with object keys in order, so that equal courses always give equal text. */
function canonical(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
	if (value && typeof value === 'object') {
		const record = value as Record<string, unknown>;
		const keys = Object.keys(record)
			.filter((key) => record[key] !== undefined)
			.sort();
		return `{${keys.map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`).join(',')}}`;
	}
	return JSON.stringify(value);
}

/**
 * What the node remembers of a course that Kombo confirmed: a hash of the integration and of
 * exactly the course item that went to Kombo. Any change to what would be sent changes it.
 */
export function courseFingerprint(integrationId: string, item: KomboCourseItem): string {
	return createHash('sha256').update(canonical([integrationId, item])).digest('base64url').slice(0, FINGERPRINT_CHARS);
}
