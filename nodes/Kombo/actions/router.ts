import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Runtime } from '../helpers/runtime';
import * as course from './course';
import { CUSTOM_API_CALL_KEY, CUSTOM_API_CALL_NOTICE } from './course';

type CourseOperation = 'upsert' | 'getUpsertTask' | 'getAll' | 'deactivate';
const COURSE_OPERATIONS: readonly string[] = ['upsert', 'getUpsertTask', 'getAll', 'deactivate'] satisfies CourseOperation[];

export async function router(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	// n8n drops Operation when Resource is Custom API Call (its options belong to Course).
	const operation = this.getNodeParameter('operation', 0, '') as string;
	if (resource === 'course' && COURSE_OPERATIONS.includes(operation)) {
		return await course[operation as CourseOperation].execute.call(this, runtime);
	}
	if (resource === CUSTOM_API_CALL_KEY || operation === CUSTOM_API_CALL_KEY) {
		throw new NodeOperationError(this.getNode(), 'Custom API Call runs in the HTTP Request node, not in this node', {
			description: CUSTOM_API_CALL_NOTICE,
		});
	}
	const what = operation === '' ? `The resource "${resource}"` : `The operation "${operation}" of resource "${resource}"`;
	throw new NodeOperationError(this.getNode(), `${what} is not supported`);
}
