import type { INode, NodeApiError as NodeApiErrorType } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { FAILED_COURSES_LISTED_MAX, TASKS_LISTED_MAX } from './constants';
import type { InvalidItem } from './outputs';
import type { CourseOutcome, KomboError } from './results';

const ERROR_OUTPUT_ADVICE =
	'To keep the courses that succeeded flowing and handle the others separately, set the node’s On Error setting to "Continue (using error output)".';

function plural(count: number, one: string, many = `${one}s`): string {
	return `${count} ${count === 1 ? one : many}`;
}

function listed<T>(values: T[], max: number, describe: (value: T) => string): string[] {
	const shown = values.slice(0, max).map(describe);
	return values.length > max ? [...shown, `…and ${values.length - max} more.`] : shown;
}

/** Stops the run before anything is sent: the first invalid item, and how many there are. */
export function invalidItemsError(node: INode, invalid: InvalidItem[], total: number): NodeOperationError {
	const [first] = invalid;
	const count = invalid.length > 1 ? [`${invalid.length} of ${total} items are invalid; nothing was sent to Kombo.`] : [];
	return new NodeOperationError(node, first.message, {
		itemIndex: first.itemIndex,
		description: [first.description ?? '', ...count].filter(Boolean).join('\n'),
	});
}

/** A batch Kombo refused; says how much had been accepted already and that a rerun is safe. */
export function rejectedBatchError(error: NodeApiErrorType, accepted: number, batches: number): NodeApiErrorType {
	if (accepted > 0) {
		error.description = `${error.description ?? ''}\n${accepted} of ${batches} batches had been accepted before this error. Running the node again is safe: Kombo matches courses on origin ID.`.trim();
	}
	return error;
}

export interface FailedCourse {
	outcome: CourseOutcome;
	itemIndex: number;
}

export interface UnreadableTask {
	taskId: string;
	error: NodeApiErrorType;
	courses: number;
}

export interface TimedOutTask {
	taskId: string;
	lastCheckError?: string;
}

/** Everything that decides whether a run that has sent courses ends in an error. */
export interface RunReport {
	total: number;
	failed: FailedCourse[];
	unreadable: UnreadableTask[];
	timedOut: TimedOutTask[];
	/** Courses still pending when the node stopped waiting, for whatever reason. */
	pendingCourses: number;
	timeoutMs: number;
	/** Whether the unreadable tasks' courses are known to have been accepted (Create or Update). */
	accepted: boolean;
}

function failedCoursesError(node: INode, report: RunReport): NodeApiError {
	const { failed } = report;
	const lines = listed(failed, FAILED_COURSES_LISTED_MAX, ({ outcome, itemIndex }) => {
		// A failed outcome always carries its error (courseItem, which outputs it, relies on that too).
		const error = outcome.error as KomboError;
		const code = error.code ? ` (${error.code})` : '';
		const log = error.log_url ? ` Log: ${error.log_url}` : '';
		return `${outcome.origin_id ?? outcome.task_id} [item ${itemIndex}]: ${error.message}${code}.${log}`;
	});
	const pendingCount = report.pendingCourses;
	const pending = pendingCount > 0 ? [`${pendingCount} more ${pendingCount === 1 ? 'course was' : 'courses were'} still pending when the node stopped waiting.`] : [];
	const message = `${failed.length} of ${report.total} courses failed in Kombo`;
	return new NodeApiError(node, { message }, { message, description: [...lines, ...pending, ERROR_OUTPUT_ADVICE].join('\n'), itemIndex: failed[0].itemIndex });
}

/**
 * Tasks whose status Kombo cannot report. For a task the user named (Get Task Status) Kombo's
 * own error says it best; for tasks this run created, the user must also learn that the courses
 * were accepted and may still be processed.
 */
function unreadableTasksError(node: INode, report: RunReport): NodeApiErrorType {
	const [first] = report.unreadable;
	if (!report.accepted) return first.error;
	const tasks = report.unreadable.map((task) => task.taskId);
	const named = `${tasks.slice(0, TASKS_LISTED_MAX).join(', ')}${tasks.length > TASKS_LISTED_MAX ? ' and others' : ''}`;
	const message = `Kombo could not report on ${tasks.length > 1 ? 'tasks' : 'task'} ${named}: ${first.error.message}`;
	const reasons = listed(report.unreadable, TASKS_LISTED_MAX, (task) => `${task.taskId}: ${task.error.message}. ${task.error.description ?? ''}`.trim());
	const accepted = `Kombo had accepted the courses of ${tasks.length > 1 ? 'these tasks' : 'this task'} (${plural(report.unreadable.reduce((sum, task) => sum + task.courses, 0), 'course')}), so they may still be processed. The node stopped waiting because asking again would fail the same way.`;
	return new NodeApiError(
		node,
		{ message },
		{ message, description: [accepted, ...reasons].join('\n'), httpCode: first.error.httpCode ?? undefined, itemIndex: first.error.context?.itemIndex as number | undefined },
	);
}

function timeoutError(node: INode, report: RunReport): NodeOperationError {
	const tasks = report.timedOut.map((task) => task.taskId);
	const failedChecks = report.timedOut
		.filter((task) => task.lastCheckError)
		.map((task) => `The last status check of ${task.taskId} failed: ${task.lastCheckError}`);
	return new NodeOperationError(
		node,
		`Kombo had not finished after ${report.timeoutMs / 1000} s: ${tasks.length > 1 ? 'tasks' : 'task'} ${tasks.join(', ')} still pending`,
		{
			description: [
				'Kombo keeps processing the courses it accepted. To wait longer, raise the Timeout option. For LMSs that take hours (SAP SuccessFactors creates one course every few minutes), turn Wait for Completion off and check later with the Get Task Status operation and these task IDs, e.g. after a Wait node. With Continue On Fail, the node outputs these courses as PENDING instead of failing.',
				...failedChecks,
			].join('\n'),
		},
	);
}

/**
 * The error a run ends in when it may not simply output its items (no Continue On Fail): failed
 * courses first, then tasks Kombo cannot report on, then tasks still pending at the deadline.
 */
export function runError(node: INode, report: RunReport): NodeApiError | NodeOperationError | undefined {
	if (report.failed.length > 0) return failedCoursesError(node, report);
	if (report.unreadable.length > 0) return unreadableTasksError(node, report);
	if (report.timedOut.length > 0) return timeoutError(node, report);
	return undefined;
}
