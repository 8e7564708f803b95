import type { INodeExecutionData } from 'n8n-workflow';

import type { SubmittedBatch, TaskState } from '../engine/tasks';
import { komboErrorOf } from '../transport';
import type { Entry } from './batching';
import type { KomboCourseItem } from './course';
import type { InvalidItem } from './outputs';
import { courseItem, errorItem, invalidItem } from './outputs';
import type { CourseOutcome, FinishedTask } from './results';
import { courseOutcomes, toKomboError } from './results';
import type { RunReport } from './runErrors';

// How both operations turn what Kombo said into output items, one slot per input item, and into
// the report that decides whether a run fails.

/**
 * What became of every course: one output slot per input item, and the report that decides
 * whether the run fails. `states` is absent when the run does not wait.
 */
export function reportCourses(
	itemCount: number,
	invalid: InvalidItem[],
	submitted: SubmittedBatch[],
	states: Map<SubmittedBatch, TaskState> | undefined,
	timeoutMs: number,
	unchanged: Iterable<Entry<KomboCourseItem>> = [],
) {
	const slots = new Array<INodeExecutionData[] | undefined>(itemCount);
	const report: RunReport = { total: itemCount, failed: [], unreadable: [], timedOut: [], pendingCourses: 0, timeoutMs, accepted: true };
	const succeeded = new Set<number>();
	for (const each of invalid) slots[each.itemIndex] = [invalidItem(each)];
	for (const entry of unchanged) {
		const outcome: CourseOutcome = { origin_id: entry.originId, status: 'UNCHANGED', course_id: null, error: null, task_id: null, integration_id: entry.integrationId, warnings: [] };
		slots[entry.itemIndex] = [courseItem(outcome, { item: entry.itemIndex })];
	}
	for (const sent of submitted) {
		const { entries, integrationId } = sent.batch;
		if (sent.outcome !== 'accepted') {
			if (sent.outcome === 'skipped') continue;
			const error = komboErrorOf(sent.error);
			for (const entry of entries) {
				const outcome: CourseOutcome = { origin_id: entry.originId, status: 'FAILED', course_id: null, error, task_id: null, integration_id: integrationId, warnings: [] };
				report.failed.push({ outcome, itemIndex: entry.itemIndex });
				slots[entry.itemIndex] = [courseItem(outcome, { item: entry.itemIndex }, { description: sent.error.description ?? null })];
			}
			continue;
		}
		const state = states?.get(sent);
		const context = { taskId: sent.taskId, integrationId, warnings: sent.warnings };
		const originIds = entries.map((entry) => entry.originId);
		const outcomes = courseOutcomes(originIds, state?.state === 'finished' ? state.task : null, context);
		if (state?.state === 'unreadable') {
			report.unreadable.push({ taskId: sent.taskId, error: state.error, courses: entries.length });
			const reason = komboErrorOf(state.error);
			for (const outcome of outcomes) outcome.error = reason;
		}
		if (state?.state === 'pending') report.timedOut.push({ taskId: sent.taskId, lastCheckError: state.lastCheckError?.message });
		outcomes.forEach((outcome, index) => {
			const itemIndex = entries[index].itemIndex;
			if (outcome.status === 'FAILED') report.failed.push({ outcome, itemIndex });
			if (outcome.status === 'PENDING' && states) report.pendingCourses++;
			if (outcome.status === 'SUCCEEDED') succeeded.add(itemIndex);
			slots[itemIndex] = [courseItem(outcome, { item: itemIndex })];
		});
	}
	report.failed.sort((a, b) => a.itemIndex - b.itemIndex);
	return { slots, report, succeeded };
}

export interface TaskRequest {
	taskId: string;
	integrationId: string;
	/** Every item that asked for this task, in input order. */
	itemIndexes: number[];
}

/** The outcome of a task that ended without course results: it failed as a whole, or said nothing. */
function taskLevelOutcome(request: TaskRequest, task: FinishedTask): CourseOutcome {
	const error =
		task.status === 'FAILED'
			? toKomboError(task.error, `Kombo task ${request.taskId} failed`)
			: toKomboError(null, `Kombo completed task ${request.taskId} without any course results`);
	return { origin_id: null, status: 'FAILED', course_id: null, error, task_id: request.taskId, integration_id: request.integrationId, warnings: [] };
}

/**
 * One output slot per input item: each task's items sit at the first item that asked for it,
 * paired with every item that did. Returns the report that decides whether the run fails.
 */
export function reportTasks(itemCount: number, invalid: InvalidItem[], requests: TaskRequest[], states: TaskState[], timeoutMs?: number) {
	const slots = new Array<INodeExecutionData[] | undefined>(itemCount);
	const report: RunReport = { total: 0, failed: [], unreadable: [], timedOut: [], pendingCourses: 0, timeoutMs: timeoutMs ?? 0, accepted: false };
	for (const each of invalid) slots[each.itemIndex] = [invalidItem(each)];
	requests.forEach((request, index) => {
		const state = states[index];
		const first = request.itemIndexes[0];
		const pairedItem = request.itemIndexes.map((item) => ({ item }));
		const base = { task_id: request.taskId, integration_id: request.integrationId };
		if (state.state === 'unreadable') {
			report.unreadable.push({ taskId: request.taskId, error: state.error, courses: 0 });
			const details = { ...base, error: komboErrorOf(state.error) as never, description: state.error.description ?? null };
			slots[first] = [errorItem(state.error.message, details, pairedItem)];
			return;
		}
		if (state.state === 'pending') {
			if (timeoutMs !== undefined) report.timedOut.push({ taskId: request.taskId, lastCheckError: state.lastCheckError?.message });
			const pending: CourseOutcome = { origin_id: null, status: 'PENDING', course_id: null, error: null, ...base, warnings: [] };
			slots[first] = [courseItem(pending, pairedItem, { created_at: state.createdAt })];
			return;
		}
		const { task } = state;
		const results = task.status === 'COMPLETED' ? task.data : [];
		const outcomes =
			results.length === 0
				? [taskLevelOutcome(request, task)]
				: courseOutcomes(results.map((result) => String(result.origin_id)), task, { taskId: request.taskId, integrationId: request.integrationId, warnings: [] });
		report.total += outcomes.length;
		for (const outcome of outcomes) if (outcome.status === 'FAILED') report.failed.push({ outcome, itemIndex: first });
		slots[first] = outcomes.map((outcome) => courseItem(outcome, pairedItem));
	});
	return { slots, report };
}

