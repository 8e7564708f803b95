import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Runtime } from '../helpers/runtime';
import * as course from './course';
import { CUSTOM_API_CALL_KEY, CUSTOM_API_CALL_NOTICE } from './course';
import * as courseProgression from './courseProgression';
import * as user from './user';

type Execute = (this: IExecuteFunctions, runtime: Runtime) => Promise<INodeExecutionData[][]>;

const OPERATIONS: Record<string, Record<string, Execute>> = {
	course: { upsert: course.upsert.execute, getUpsertTask: course.getUpsertTask.execute, getAll: course.getAll.execute, deactivate: course.deactivate.execute },
	courseProgression: { complete: courseProgression.complete.execute, enroll: courseProgression.enroll.execute, getAll: courseProgression.getAll.execute },
	user: { getAll: user.getAll.execute },
};

export async function router(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	const resource = this.getNodeParameter('resource', 0) as string;
	// n8n drops Operation when Resource is Custom API Call (its options belong to Course).
	const operation = this.getNodeParameter('operation', 0, '') as string;
	const execute = Object.hasOwn(OPERATIONS, resource) && Object.hasOwn(OPERATIONS[resource], operation) ? OPERATIONS[resource][operation] : undefined;
	if (execute) return await execute.call(this, runtime);
	if (resource === CUSTOM_API_CALL_KEY || operation === CUSTOM_API_CALL_KEY) {
		throw new NodeOperationError(this.getNode(), 'Custom API Call runs in the HTTP Request node, not in this node', {
			description: CUSTOM_API_CALL_NOTICE,
		});
	}
	const what = operation === '' ? `The resource "${resource}"` : `The operation "${operation}" of resource "${resource}"`;
	throw new NodeOperationError(this.getNode(), `${what} is not supported`);
}
