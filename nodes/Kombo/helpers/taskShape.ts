import type { KomboTask } from './results';

/** A task whose status this node does not know: Kombo's task schema may grow. */
export interface UnknownStatusTask {
	task_id: string;
	status: string;
	unknown: true;
}

export type TaskReading = { ok: true; value: KomboTask | UnknownStatusTask } | { ok: false; problem: string };

const KNOWN_STATUSES = new Set(['PENDING', 'COMPLETED', 'FAILED']);
const ITEM_STATUSES = new Set(['SUCCEEDED', 'FAILED']);

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function itemProblem(item: unknown): string | undefined {
	if (!isObject(item)) return 'a course result is not an object';
	if (typeof item.origin_id !== 'string' && typeof item.origin_id !== 'number') return 'a course result has no origin_id';
	if (!ITEM_STATUSES.has(item.status as string)) return `a course result has the status ${JSON.stringify(item.status)}`;
	return undefined;
}

/**
 * Checks that a status answer's `data` is a task this node can act on. What it cannot read is
 * named, so that the error says what Kombo sent rather than failing somewhere later.
 */
export function readTaskData(data: unknown): TaskReading {
	if (!isObject(data)) return { ok: false, problem: 'its data is not a task' };
	const { status } = data;
	if (typeof status !== 'string' || status === '') return { ok: false, problem: 'the task has no status' };
	if (!KNOWN_STATUSES.has(status)) {
		return { ok: true, value: { task_id: String(data.task_id ?? ''), status, unknown: true } };
	}
	if (status === 'COMPLETED') {
		if (!Array.isArray(data.data)) return { ok: false, problem: 'the completed task has no course results' };
		const problem = (data.data as unknown[]).map(itemProblem).find((each) => each !== undefined);
		if (problem) return { ok: false, problem };
	}
	return { ok: true, value: data as unknown as KomboTask };
}

export function isUnknownStatus(task: KomboTask | UnknownStatusTask): task is UnknownStatusTask {
	return 'unknown' in task;
}

/** Checks that a bulk POST's answer carries the id of the task Kombo created. */
export function readSubmission(data: unknown): { ok: true; value: { task_id: string } } | { ok: false; problem: string } {
	if (!isObject(data) || typeof data.task_id !== 'string' || data.task_id === '') {
		return { ok: false, problem: 'it returned no task ID' };
	}
	return { ok: true, value: { task_id: data.task_id } };
}

