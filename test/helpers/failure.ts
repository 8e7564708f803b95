import type { NodeApiError } from 'n8n-workflow';

/** The error a promise rejects with; the test fails when the promise resolves instead. */
export async function failure<E = NodeApiError>(promise: Promise<unknown>): Promise<E> {
	try {
		await promise;
	} catch (error) {
		return error as E;
	}
	throw new Error('expected a failure');
}
