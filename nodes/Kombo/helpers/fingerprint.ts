import { createHash } from 'crypto';

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
 * What the node remembers of a course it sent: the integration, the origin ID and a hash of
 * exactly the course item that went to Kombo. Any change to what would be sent changes it.
 */
export function courseFingerprint(integrationId: string, item: KomboCourseItem): string {
	const hash = createHash('sha256').update(canonical(item)).digest('base64url');
	return `${integrationId}\t${item.origin_id}\t${hash}`;
}
