import type { KomboLmsCourse } from '../../../../nodes/Kombo/helpers/lmsCourses';
import type { IntegrationRetirement, RetirementDecision } from '../../../../nodes/Kombo/helpers/retire';
import { decideRetirement, formatPercent, listOriginIds, refusalText, selectRetirement, sharePercent } from '../../../../nodes/Kombo/helpers/retire';

function listed(originId: string | null, status = 'ACTIVE', extra: Partial<KomboLmsCourse> = {}): KomboLmsCourse {
	return { id: `k-${originId ?? 'native'}`, remote_id: `r-${originId}`, origin_id: originId, revisions: [{ title: String(originId), status }], ...extra };
}

const clean = { invalid: 0, failed: 0, pending: 0 };

function retirement(integrationId: string, inScope: number, candidates: number): IntegrationRetirement {
	return { integrationId, inScope, candidates: Array.from({ length: candidates }, (_, index) => ({ origin_id: `o-${index}`, course_id: `k-${index}` })) };
}

describe('selectRetirement', () => {
	it('picks the active API-created courses missing from the input, in listing order, and counts the scope', () => {
		const courses = [listed('a'), listed('b'), listed('c'), listed('d')];
		expect(selectRetirement('int:a', courses, new Set(['b', 'x']))).toEqual({
			integrationId: 'int:a',
			inScope: 4,
			candidates: [
				{ origin_id: 'a', course_id: 'k-a' },
				{ origin_id: 'c', course_id: 'k-c' },
				{ origin_id: 'd', course_id: 'k-d' },
			],
		});
	});

	it('never touches a course without an origin ID, whatever else it has', () => {
		const courses = [listed(null), listed('', 'ACTIVE', { id: 'k-empty' }), { id: 'k-none', revisions: [] }, listed('a')];
		expect(selectRetirement('int:a', courses, new Set())).toEqual({ integrationId: 'int:a', inScope: 1, candidates: [{ origin_id: 'a', course_id: 'k-a' }] });
	});

	it('leaves out courses outside the Origin ID Prefix, already inactive, or deleted in the LMS', () => {
		const courses = [listed('CAT-1'), listed('OTHER-1'), listed('CAT-2', 'INACTIVE'), listed('CAT-3', 'ACTIVE', { remote_deleted_at: '2026-01-01T00:00:00Z' }), listed('cat-4')];
		expect(selectRetirement('int:a', courses, new Set(), 'CAT-')).toEqual({ integrationId: 'int:a', inScope: 1, candidates: [{ origin_id: 'CAT-1', course_id: 'k-CAT-1' }] });
	});

	it('keeps a course whose deletion time is null, as Kombo lists a course not deleted', () => {
		expect(selectRetirement('int:a', [listed('a', 'ACTIVE', { remote_deleted_at: null })], new Set()).candidates).toEqual([{ origin_id: 'a', course_id: 'k-a' }]);
	});

	it('matches origin IDs exactly', () => {
		expect(selectRetirement('int:a', [listed('A-1'), listed('a-1 ')], new Set(['a-1'])).candidates.map((each) => each.origin_id)).toEqual(['A-1', 'a-1 ']);
	});
});

describe('decideRetirement', () => {
	it('goes ahead when the run was clean and the share is at most the limit', () => {
		expect(decideRetirement(clean, [retirement('int:a', 100, 10), retirement('int:b', 5, 0)], 10)).toEqual({ go: true });
	});

	it('refuses when the share exceeds the limit in any integration, naming it', () => {
		expect(decideRetirement(clean, [retirement('int:a', 100, 10), retirement('int:b', 100, 11)], 10)).toEqual({
			go: false,
			reasons: [{ kind: 'share', integrationId: 'int:b', candidates: 11, inScope: 100, sharePercent: 11 }],
		});
	});

	it.each([
		[{ ...clean, invalid: 1 }, 'invalid'],
		[{ ...clean, failed: 2 }, 'failed'],
		[{ ...clean, pending: 3 }, 'pending'],
	])('refuses after a run with %j', (health, kind) => {
		expect(decideRetirement(health, [retirement('int:a', 100, 1)], 10)).toEqual({ go: false, reasons: [{ kind, count: expect.any(Number) }] });
	});

	it('gives every reason at once', () => {
		const decision = decideRetirement({ invalid: 1, failed: 1, pending: 1 }, [retirement('int:a', 2, 2)], 10);
		expect(decision.go === false && decision.reasons.map((reason) => reason.kind)).toEqual(['invalid', 'failed', 'pending', 'share']);
	});

	it('has nothing to refuse when nothing would be deactivated', () => {
		expect(decideRetirement({ invalid: 5, failed: 5, pending: 5 }, [retirement('int:a', 10, 0)], 0)).toEqual({ go: true });
		expect(decideRetirement(clean, [], 10)).toEqual({ go: true });
	});

	it('takes 0 as "nothing may go" and 100 as no limit', () => {
		expect(decideRetirement(clean, [retirement('int:a', 100, 1)], 0).go).toBe(false);
		expect(decideRetirement(clean, [retirement('int:a', 3, 3)], 100).go).toBe(true);
	});
});

describe('sharePercent and formatPercent', () => {
	it('is the candidates’ share of the courses in scope', () => {
		expect(sharePercent(retirement('i', 200, 3))).toBe(1.5);
		expect(sharePercent(retirement('i', 0, 0))).toBe(0);
		expect(sharePercent(retirement('i', 0, 2))).toBe(100);
		expect(formatPercent(1.25)).toBe('1.3%');
		expect(formatPercent(33.333)).toBe('33%');
	});
});

describe('refusalText', () => {
	const refused = (decision: RetirementDecision) => decision as Extract<RetirementDecision, { go: false }>;

	it('says how many would have gone, the first five origin IDs per integration, and how to raise the limit', () => {
		const retirements = [retirement('int:a', 20, 8), retirement('int:b', 50, 0)];
		const { message, description } = refusalText(refused(decideRetirement(clean, retirements, 10)), retirements, 10, false);

		expect(message).toBe('Did not deactivate the 8 courses missing from the input: in int:a, 8 of 20 courses in scope (40%) would go, more than Max Share Deactivated (10%)');
		expect(description).toBe(
			'Would have deactivated in int:a: 8 courses of 20 in scope (o-0, o-1, o-2, o-3, o-4 and 3 more). ' +
				'If these courses really left the catalogue, set Max Share Deactivated (%) to at least 40 for this run. If the input holds only part of the catalogue (a Loop Over Items or a filter upstream), give the node the whole catalogue in one run, narrow the scope with Origin ID Prefix, or turn Deactivate Courses Not in Input off. ' +
				'Nothing was deactivated; the courses of the input were sent as reported.',
		);
	});

	it('says how to fix the input after invalid items or failed courses, and what a preview means', () => {
		const retirements = [retirement('int:a', 100, 1)];
		const { message, description } = refusalText(refused(decideRetirement({ invalid: 1, failed: 2, pending: 0 }, retirements, 10)), retirements, 10, true);

		expect(message).toBe('A run would not deactivate the 1 course missing from the input: 1 input item is invalid; 2 courses failed');
		expect(description).toContain('Would have deactivated in int:a: 1 course of 100 in scope (o-0).');
		expect(description).toContain('Fix or remove the invalid items and run again');
		expect(description).toContain('Run again once every course succeeds');
		expect(description).toMatch(/Preview Only: nothing was deactivated\.$/);
	});

	it.each([
		[{ invalid: 3, failed: 0, pending: 0 }, '3 input items are invalid'],
		[{ invalid: 0, failed: 1, pending: 0 }, '1 course failed'],
		[{ invalid: 0, failed: 0, pending: 1 }, '1 course is still pending'],
		[{ invalid: 0, failed: 0, pending: 4 }, '4 courses are still pending'],
	])('after a run with %j, says %p', (health, reason) => {
		const retirements = [retirement('int:a', 100, 1)];
		expect(refusalText(refused(decideRetirement(health, retirements, 10)), retirements, 10, false).message).toBe(`Did not deactivate the 1 course missing from the input: ${reason}`);
	});

	it('says to raise the Timeout when courses are still pending', () => {
		const retirements = [retirement('int:a', 100, 1)];
		const { description } = refusalText(refused(decideRetirement({ ...clean, pending: 2 }, retirements, 10)), retirements, 10, false);
		expect(description).toBe(
			'Would have deactivated in int:a: 1 course of 100 in scope (o-0). Raise the Timeout option so that the node waits until every course has a result. Nothing was deactivated; the courses of the input were sent as reported.',
		);
	});

	it('gives the same fix once when several integrations exceed the limit alike', () => {
		const retirements = [retirement('int:a', 10, 4), retirement('int:b', 20, 8)];
		const { message, description } = refusalText(refused(decideRetirement(clean, retirements, 10)), retirements, 10, false);

		expect(message).toBe(
			'Did not deactivate the 12 courses missing from the input: in int:a, 4 of 10 courses in scope (40%) would go, more than Max Share Deactivated (10%); in int:b, 8 of 20 courses in scope (40%) would go, more than Max Share Deactivated (10%)',
		);
		expect(description.match(/set Max Share Deactivated \(%\) to at least 40 for this run/g)).toHaveLength(1);
	});

	it('lists a few origin IDs and counts the rest', () => {
		expect(listOriginIds(retirement('i', 9, 7).candidates, 2)).toBe('o-0, o-1 and 5 more');
		expect(listOriginIds(retirement('i', 9, 2).candidates, 2)).toBe('o-0, o-1');
	});
});
