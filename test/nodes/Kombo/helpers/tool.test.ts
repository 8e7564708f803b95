import type { INode } from 'n8n-workflow';

import { isToolExecution, isToolNodeType, runsAsTool } from '../../../../nodes/Kombo/helpers/tool';

function node(type: string, extra: Partial<INode> = {}): INode {
	return { id: '1', name: 'Kombo', type, typeVersion: 1, position: [0, 0], parameters: {}, ...extra };
}

describe('isToolNodeType', () => {
	it.each([
		['n8n-nodes-kombo.komboTool', true],
		['n8n-nodes-kombo.kombo', false],
		['CUSTOM.komboTool', true],
		['CUSTOM.kombo', false],
		['@acme/n8n-nodes-kombo.komboTool', true],
		['komboTool', true],
		['n8n-nodes-tools.kombo', false],
		['n8n-nodes-base.httpRequestTool', true],
		['', false],
	])('%p → %p', (type, expected) => {
		expect(isToolNodeType(type)).toBe(expected);
	});
});

describe('isToolExecution', () => {
	it.each<[string, Partial<INode>, boolean]>([
		['n8n-nodes-kombo.komboTool', {}, true],
		['n8n-nodes-kombo.kombo', {}, false],
		['n8n-nodes-kombo.kombo', { rewireOutputLogTo: 'ai_tool' }, true],
		['n8n-nodes-kombo.kombo', { rewireOutputLogTo: 'main' }, false],
		['n8n-nodes-kombo.komboTool', { rewireOutputLogTo: 'ai_tool' }, true],
	])('%p with %j → %p', (type, extra, expected) => {
		expect(isToolExecution(node(type, extra))).toBe(expected);
	});
});

describe('runsAsTool', () => {
	it.each<[string, (() => boolean) | undefined, boolean]>([
		['n8n-nodes-kombo.kombo', undefined, false],
		['n8n-nodes-kombo.kombo', () => false, false],
		['n8n-nodes-kombo.kombo', () => true, true],
		['n8n-nodes-kombo.komboTool', () => false, true],
		['n8n-nodes-kombo.komboTool', undefined, true],
	])('%p, isToolExecution %p → %p', (type, isToolExecutionOfContext, expected) => {
		expect(runsAsTool({ getNode: () => node(type), isToolExecution: isToolExecutionOfContext })).toBe(expected);
	});
});
