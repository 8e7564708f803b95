import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as course from './actions/course';
import { router } from './actions/router';
import { getCourseFields } from './methods/resourceMapping';

export class Kombo implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Kombo',
		name: 'kombo',
		icon: { light: 'file:../../icons/kombo.svg', dark: 'file:../../icons/kombo.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle:
			'={{ $parameter["operation"] === "getUpsertTask" ? "Get task status" : $parameter["operation"] === "upsert" ? "Create or update courses" : "Custom API call" }}',
		description: "Push courses into your customers' learning management systems through Kombo",
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
				options: [{ name: 'Course', value: 'course' }],
				default: 'course',
			},
			...course.description,
		],
	};

	methods = {
		resourceMapping: { getCourseFields },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
