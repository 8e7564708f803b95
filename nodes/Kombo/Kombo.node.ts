import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as course from './actions/course';
import * as courseProgression from './actions/courseProgression';
import * as user from './actions/user';
import { router } from './actions/router';
import type { Runtime } from './helpers/runtime';
import { systemRuntime } from './helpers/runtime';
import { getCourseFields } from './methods/resourceMapping';

export class Kombo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kombo',
		name: 'kombo',
		icon: { light: 'file:../../icons/kombo.svg', dark: 'file:../../icons/kombo.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ $parameter["resource"] === "user" ? "Get many learners" : $parameter["resource"] === "courseProgression" ? ($parameter["operation"] === "complete" ? "Complete course progressions" : $parameter["operation"] === "enroll" ? "Enroll learners" : "Get many course progressions") : $parameter["operation"] === "getUpsertTask" ? "Get task status" : $parameter["operation"] === "upsert" ? "Create or update courses" : $parameter["operation"] === "getAll" ? "Get many courses" : $parameter["operation"] === "deactivate" ? "Deactivate a course" : "Custom API call" }}',
		description: "Push courses into your customers' learning management systems through Kombo, and read learners and write completions back",
		defaults: { name: 'Kombo' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'komboApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Course', value: 'course' },
					{ name: 'Course Progression', value: 'courseProgression' },
					{ name: 'User', value: 'user' },
				],
				default: 'course',
			},
			...course.description,
			...courseProgression.description,
			...user.description,
		],
	};

	methods = {
		resourceMapping: { getCourseFields },
	};

	execute: (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>;

	/**
	 * n8n constructs the node without arguments, so it runs on real time. The runtime is the one
	 * seam for tests: a node constructed with a virtual clock runs minutes of polling at once.
	 */
	constructor(runtime: Runtime = systemRuntime) {
		this.execute = async function (this: IExecuteFunctions) {
			return await router.call(this, runtime);
		};
	}
}
