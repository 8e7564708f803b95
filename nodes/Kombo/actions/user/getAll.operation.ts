import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { USERS } from '../../engine/directory';
import { listAll } from '../../engine/listing';
import { simplifyUser } from '../../helpers/learners';
import type { Runtime } from '../../helpers/runtime';
import { executeGetMany, getManyProperties, ID_FILTERS } from '../shared/getMany';

const properties = getManyProperties('learners', [
	{
		displayName: 'Work Emails',
		name: 'workEmails',
		type: 'string',
		default: '',
		placeholder: 'e.g. ada@example.com, grace@example.com',
		description: 'Only the learners with any of these work emails, separated by commas (or a list from an expression); upper and lower case do not matter',
	},
]);

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['getAll'] } }, properties);

/** Lists the LMS's learners once per input item, each with its own filters and integration. */
export async function execute(this: IExecuteFunctions, runtime: Runtime): Promise<INodeExecutionData[][]> {
	return await executeGetMany(this, runtime, {
		idFilters: [...ID_FILTERS, ['workEmails', 'Work Emails', 'workEmails']],
		list: async (client, { integrationId, filters, limit, itemIndex, simplify }) => {
			const users = await listAll(client, USERS, { integrationId, filters, limit, itemIndex });
			return users.map((user) => (simplify ? simplifyUser(user) : user) as IDataObject);
		},
	});
}
