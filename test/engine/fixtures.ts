import type { INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { runWorkflow } from '../support/engine';
import { startKomboStub } from '../support/kombo-stub';

export type Stub = Awaited<ReturnType<typeof startKomboStub>>;
export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

export const autoMap = { mappingMode: 'autoMapInputData', value: null, matchingColumns: [], schema: [] };

export function credentialsFor(stub: Stub, integrationId = 'sandbox:demo') {
	return { apiKey: stub.apiKey, integrationId, region: 'custom', baseUrl: stub.url };
}

export function course(index: number, extra: Record<string, unknown> = {}) {
	return {
		origin_id: `course-${index}`,
		title: `Course ${index}`,
		course_url: `https://academy.example.com/courses/${index}`,
		...extra,
	};
}

export function courses(count: number, extra: (index: number) => Record<string, unknown> = () => ({})) {
	return Array.from({ length: count }, (_, index) => course(index, extra(index)));
}

export interface UpsertRun {
	stub: Stub;
	items: Array<Record<string, unknown>>;
	parameters?: Record<string, unknown>;
	options?: Record<string, unknown>;
	onError?: OnError;
	integrationId?: string;
	nodeFields?: Record<string, unknown>;
	/** How the execution started: 'manual' (the default, as from the editor) or a production mode. */
	mode?: 'manual' | 'trigger' | 'webhook';
	/** Whatever the node left in the static data is saved, even after a stop or a death. */
	staticDataKeptAsLeft?: boolean;
	/** This run's clock, instead of the one set with useRuntime. */
	runtime?: object;
}

export function upsert({ stub, items, parameters = {}, options = {}, onError, integrationId, nodeFields, mode, staticDataKeptAsLeft, runtime }: UpsertRun) {
	return runWorkflow({
		nodeParameters: {
			resource: 'course',
			operation: 'upsert',
			columns: autoMap,
			waitForCompletion: false,
			options,
			...parameters,
		} as INodeParameters,
		items,
		credentials: credentialsFor(stub, integrationId),
		onError,
		nodeFields,
		mode,
		staticDataKeptAsLeft,
		runtime,
	});
}

export function getUpsertTask(
	stub: Stub,
	items: Array<Record<string, unknown>>,
	parameters: Record<string, unknown> = {},
	onError?: OnError,
) {
	return runWorkflow({
		nodeParameters: {
			resource: 'course',
			operation: 'getUpsertTask',
			taskId: '={{ $json.task_id }}',
			options: {},
			...parameters,
		} as INodeParameters,
		items,
		credentials: credentialsFor(stub),
		onError,
	});
}

export interface OperationRun {
	stub: Stub;
	items: Array<Record<string, unknown>>;
	parameters?: Record<string, unknown>;
	onError?: OnError;
	integrationId?: string;
}

/** Course → Get Many, once per input item. */
export function getMany({ stub, items, parameters = {}, onError, integrationId }: OperationRun) {
	return runWorkflow({
		nodeParameters: { resource: 'course', operation: 'getAll', options: {}, ...parameters } as INodeParameters,
		items,
		credentials: credentialsFor(stub, integrationId),
		onError,
	});
}

/** Course → Deactivate, by the Course ID each item gives (default {{ $json.id }}). */
export function deactivate({ stub, items, parameters = {}, onError, integrationId }: OperationRun) {
	return runWorkflow({
		nodeParameters: { resource: 'course', operation: 'deactivate', courseId: '={{ $json.id }}', options: {}, ...parameters } as INodeParameters,
		items,
		credentials: credentialsFor(stub, integrationId),
		onError,
	});
}

/** Course Progression → Complete, by Learner and Course from {{ $json.email }} and {{ $json.course }} unless told otherwise. */
export function complete({ stub, items, parameters = {}, onError, integrationId }: OperationRun) {
	return runWorkflow({
		nodeParameters: {
			resource: 'courseProgression',
			operation: 'complete',
			learnerEmail: '={{ $json.email }}',
			courseOriginId: '={{ $json.course }}',
			completedAt: '={{ $json.completed_at }}',
			score: '={{ $json.score }}',
			options: {},
			...parameters,
		} as INodeParameters,
		items,
		credentials: credentialsFor(stub, integrationId),
		onError,
	});
}

/** Course Progression → Enroll, by {{ $json.email }} and {{ $json.course }} unless told otherwise. */
export function enroll({ stub, items, parameters = {}, onError, integrationId }: OperationRun) {
	return runWorkflow({
		nodeParameters: { resource: 'courseProgression', operation: 'enroll', learnerEmail: '={{ $json.email }}', courseOriginId: '={{ $json.course }}', options: {}, ...parameters } as INodeParameters,
		items,
		credentials: credentialsFor(stub, integrationId),
		onError,
	});
}

/** User → Get Many or Course Progression → Get Many, once per input item. */
export function listRecords(resource: 'user' | 'courseProgression', { stub, items, parameters = {}, onError, integrationId }: OperationRun) {
	return runWorkflow({
		nodeParameters: { resource, operation: 'getAll', options: {}, ...parameters } as INodeParameters,
		items,
		credentials: credentialsFor(stub, integrationId),
		onError,
	});
}

export function listings(stub: Stub) {
	return stub.requests.filter((request) => request.method === 'GET' && request.route === '/lms/courses');
}

export function deactivations(stub: Stub) {
	return stub.requests.filter((request) => request.method === 'POST' && /^\/lms\/courses\/[^/]+\/deactivate$/.test(request.route));
}

/** Bulk upserts (POST /lms/courses/bulk). */
export function posts(stub: Stub) {
	return stub.requests.filter((request) => request.method === 'POST' && request.route === '/lms/courses/bulk');
}

export function polls(stub: Stub) {
	return stub.requests.filter((request) => request.method === 'GET' && request.route.startsWith('/lms/courses/bulk/'));
}

export function jsonOf(items: INodeExecutionData[] | undefined) {
	return (items ?? []).map((item) => item.json);
}

export function pairedIndexes(items: INodeExecutionData[] | undefined) {
	return (items ?? []).map((item) => (item.pairedItem as { item: number }).item);
}

export { runWorkflow, startKomboStub };
