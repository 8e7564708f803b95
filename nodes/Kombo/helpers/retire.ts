import { DEACTIVATIONS_LISTED_MAX } from './constants';
import type { KomboLmsCourse } from './lmsCourses';
import { isActiveCourse } from './lmsCourses';

/** A course that Deactivate Courses Not in Input would deactivate. */
export interface RetirementCandidate {
	origin_id: string;
	course_id: string;
}

/** What one integration's course list means for this run. */
export interface IntegrationRetirement {
	integrationId: string;
	/** Active courses created through the API (with an origin ID) inside the Origin ID Prefix. */
	inScope: number;
	/** Those of them whose origin ID is not in this run's input for the integration, in listing order. */
	candidates: RetirementCandidate[];
}

/**
 * Picks the courses to retire from an integration's course list. Courses without an origin ID
 * were not created through Kombo's API (the LMS's own, or another tool's) and are never touched;
 * neither are courses outside the prefix (another catalogue sharing the integration), courses
 * deleted in the LMS, and courses already inactive.
 */
export function selectRetirement(
	integrationId: string,
	courses: KomboLmsCourse[],
	inputOriginIds: ReadonlySet<string>,
	originIdPrefix = '',
): IntegrationRetirement {
	const candidates: RetirementCandidate[] = [];
	let inScope = 0;
	for (const course of courses) {
		const originId = course.origin_id;
		if (typeof originId !== 'string' || originId === '') continue;
		if (!originId.startsWith(originIdPrefix)) continue;
		if (course.remote_deleted_at !== undefined && course.remote_deleted_at !== null) continue;
		if (!isActiveCourse(course)) continue;
		inScope++;
		if (!inputOriginIds.has(originId)) candidates.push({ origin_id: originId, course_id: course.id });
	}
	return { integrationId, inScope, candidates };
}

/** How the run that came before went, as far as retiring courses is concerned. */
export interface RunHealth {
	/** Input items that did not become a course: invalid, duplicate, or unreadable. */
	invalid: number;
	/** Courses Kombo reported as failed, or whose batch it refused. */
	failed: number;
	/** Courses without a final result: still pending at the timeout, or their task unreadable. */
	pending: number;
}

export type RefusalReason =
	| { kind: 'invalid' | 'failed' | 'pending'; count: number }
	| { kind: 'share'; integrationId: string; candidates: number; inScope: number; sharePercent: number };

export type RetirementDecision = { go: true } | { go: false; reasons: RefusalReason[] };

/** The share of an integration's in-scope courses that would be deactivated, in percent. */
export function sharePercent(retirement: IntegrationRetirement): number {
	if (retirement.candidates.length === 0) return 0;
	return retirement.inScope === 0 ? 100 : (retirement.candidates.length / retirement.inScope) * 100;
}

/**
 * Whether the candidates may be deactivated. A run that did not go through cleanly may be missing
 * courses by accident, so nothing goes when an item was invalid or a course failed or is still
 * pending; nor when, in any integration, more than `maxSharePercent` of the courses in scope would
 * go, which is what a run over part of the catalogue (a Loop Over Items upstream) looks like. All
 * or nothing: one integration's problem stops every integration's deactivations. With nothing to
 * deactivate, there is nothing to refuse.
 */
export function decideRetirement(health: RunHealth, retirements: IntegrationRetirement[], maxSharePercent: number): RetirementDecision {
	if (retirements.every((retirement) => retirement.candidates.length === 0)) return { go: true };
	const reasons: RefusalReason[] = [];
	if (health.invalid > 0) reasons.push({ kind: 'invalid', count: health.invalid });
	if (health.failed > 0) reasons.push({ kind: 'failed', count: health.failed });
	if (health.pending > 0) reasons.push({ kind: 'pending', count: health.pending });
	for (const retirement of retirements) {
		const share = sharePercent(retirement);
		if (share > maxSharePercent) {
			reasons.push({ kind: 'share', integrationId: retirement.integrationId, candidates: retirement.candidates.length, inScope: retirement.inScope, sharePercent: share });
		}
	}
	return reasons.length === 0 ? { go: true } : { go: false, reasons };
}

function plural(count: number, one: string, many = `${one}s`): string {
	return `${count} ${count === 1 ? one : many}`;
}

/** A share as the error shows it: whole percent, or one decimal below 10 %. */
export function formatPercent(percent: number): string {
	// Stryker disable next-line EqualityOperator: at exactly 10 both roundings give 10
	const rounded = percent >= 10 ? Math.round(percent) : Math.round(percent * 10) / 10;
	return `${rounded}%`;
}

function reasonText(reason: RefusalReason, maxSharePercent: number): string {
	switch (reason.kind) {
		case 'invalid':
			return `${reason.count === 1 ? '1 input item is' : `${reason.count} input items are`} invalid`;
		case 'failed':
			return `${reason.count === 1 ? '1 course' : `${reason.count} courses`} failed`;
		case 'pending':
			return `${reason.count === 1 ? '1 course is' : `${reason.count} courses are`} still pending`;
		case 'share':
			return `in ${reason.integrationId}, ${reason.candidates} of ${plural(reason.inScope, 'course')} in scope (${formatPercent(reason.sharePercent)}) would go, more than Max Share Deactivated (${formatPercent(maxSharePercent)})`;
	}
}

function fixText(reason: RefusalReason): string {
	switch (reason.kind) {
		case 'invalid':
			return 'Fix or remove the invalid items and run again: the course of an invalid item is missing from the input only by mistake.';
		case 'failed':
			return 'Run again once every course succeeds: a run that did not go through cleanly may be missing courses by accident.';
		case 'pending':
			return 'Raise the Timeout option so that the node waits until every course has a result.';
		case 'share':
			return `If these courses really left the catalogue, set Max Share Deactivated (%) to at least ${Math.ceil(reason.sharePercent)} for this run. If the input holds only part of the catalogue (a Loop Over Items or a filter upstream), give the node the whole catalogue in one run, narrow the scope with Origin ID Prefix, or turn Deactivate Courses Not in Input off.`;
	}
}

/** Names the first few origin IDs, and how many more there are. */
export function listOriginIds(candidates: RetirementCandidate[], max = DEACTIVATIONS_LISTED_MAX): string {
	const shown = candidates.slice(0, max).map((candidate) => candidate.origin_id);
	const more = candidates.length - shown.length;
	return more > 0 ? `${shown.join(', ')} and ${more} more` : shown.join(', ');
}

/**
 * The error a refused retirement shows: what would have been deactivated (how many, the first few
 * origin IDs, per integration) and, for every reason, how to fix it. A preview says the same of a
 * real run, since it makes the same decision.
 */
export function refusalText(
	decision: Extract<RetirementDecision, { go: false }>,
	retirements: IntegrationRetirement[],
	maxSharePercent: number,
	preview: boolean,
): { message: string; description: string } {
	const withCandidates = retirements.filter((retirement) => retirement.candidates.length > 0);
	const total = withCandidates.reduce((sum, retirement) => sum + retirement.candidates.length, 0);
	const reasons = decision.reasons.map((reason) => reasonText(reason, maxSharePercent)).join('; ');
	const courses = plural(total, 'course');
	const message = preview
		? `A run would not deactivate the ${courses} missing from the input: ${reasons}`
		: `Did not deactivate the ${courses} missing from the input: ${reasons}`;
	const lines = withCandidates.map(
		(retirement) => `Would have deactivated in ${retirement.integrationId}: ${plural(retirement.candidates.length, 'course')} of ${retirement.inScope} in scope (${listOriginIds(retirement.candidates)}).`,
	);
	lines.push(...decision.reasons.map(fixText).filter((text, index, all) => all.indexOf(text) === index));
	lines.push(preview ? 'Preview Only: nothing was deactivated.' : 'Nothing was deactivated; the courses of the input were sent as reported.');
	return { message, description: lines.join(' ') };
}
