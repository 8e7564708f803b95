import type { KomboProgression, KomboUser } from '../helpers/learners';
import { readProgressionPage, readUserPage } from '../helpers/learners';
import type { KomboLmsCourse } from '../helpers/lmsCourses';
import type { KomboClient } from '../transport';
import { COURSES } from './courses';
import type { Listing } from './listing';
import { listAll, lookUp } from './listing';

export const USERS: Listing<KomboUser> = { path: '/lms/users', noun: 'learner', read: readUserPage };
export const PROGRESSIONS: Listing<KomboProgression> = { path: '/lms/course-progressions', noun: 'course progression', read: readProgressionPage };

/**
 * What one execution has learned of an integration's courses, so that each is asked for once:
 * the whole list when courses are named by origin ID or revision ID (Kombo has no filter for
 * either), single courses by Kombo ID otherwise. Deleted courses are left out, as Kombo lists by default.
 */
export class CourseDirectory {
	private readonly byId = new Map<string, KomboLmsCourse>();

	private readonly byOriginId = new Map<string, KomboLmsCourse>();

	private readonly byRevisionId = new Map<string, KomboLmsCourse>();

	private whole: Promise<void> | undefined;

	constructor(
		private readonly client: KomboClient,
		readonly integrationId: string,
	) {}

	private add(courses: KomboLmsCourse[]): void {
		for (const course of courses) {
			this.byId.set(course.id, course);
			for (const revision of course.revisions) this.byRevisionId.set(revision?.id as string, course);
			// Stryker disable next-line ConditionalExpression: a course without an origin ID is filed under a key no item can give (an origin ID is text, never empty)
			if (typeof course.origin_id === 'string' && !this.byOriginId.has(course.origin_id)) this.byOriginId.set(course.origin_id, course);
		}
	}

	/** Lists every course of the integration, once per execution. */
	async loadAll(itemIndex?: number): Promise<void> {
		this.whole ??= listAll(this.client, COURSES, { integrationId: this.integrationId, filters: {}, itemIndex }).then((courses) => this.add(courses));
		await this.whole;
	}

	/** Looks up the courses with these Kombo IDs that are not known yet (undefined: none). */
	async loadIds(ids: ReadonlyArray<string | undefined>, itemIndex?: number): Promise<void> {
		await this.whole;
		const missing = [...new Set(ids)].filter((id): id is string => id !== undefined && !this.byId.has(id));
		this.add(await lookUp(this.client, COURSES, { integrationId: this.integrationId, values: missing, filtersFor: (chunk) => ({ ids: chunk }), itemIndex }));
	}

	course(id: string): KomboLmsCourse | undefined {
		return this.byId.get(id);
	}

	courseByOriginId(originId: string): KomboLmsCourse | undefined {
		return this.byOriginId.get(originId);
	}

	courseOfRevision(revisionId: string): KomboLmsCourse | undefined {
		return this.byRevisionId.get(revisionId);
	}

	originIdOf(courseId: string): string | null {
		const originId = this.byId.get(courseId)?.origin_id;
		return typeof originId === 'string' ? originId : null;
	}
}

/** One CourseDirectory per integration for the whole execution. */
export function courseDirectories(client: KomboClient): (integrationId: string) => CourseDirectory {
	const directories = new Map<string, CourseDirectory>();
	return (integrationId) => {
		let directory = directories.get(integrationId);
		if (!directory) {
			directory = new CourseDirectory(client, integrationId);
			directories.set(integrationId, directory);
		}
		return directory;
	};
}
