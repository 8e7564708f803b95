import type { INode } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

/**
 * What n8n appends to the type of a `usableAsTool` node for its AI-tool variant, which runs the
 * same `execute`: `n8n-nodes-kombo.kombo` becomes `n8n-nodes-kombo.komboTool`.
 */
export const TOOL_TYPE_SUFFIX = 'Tool';

export function isToolNodeType(type: string): boolean {
	return type.endsWith(TOOL_TYPE_SUFFIX);
}

/**
 * Whether the node runs as an AI agent's tool. The type suffix holds however n8n runs the tool;
 * `rewireOutputLogTo` is how n8n 2.x marks a tool node that an agent's engine request runs as a
 * regular node, where the context's own `isToolExecution()` answers false.
 */
export function isToolExecution(node: Pick<INode, 'type' | 'rewireOutputLogTo'>): boolean {
	return isToolNodeType(node.type) || node.rewireOutputLogTo === NodeConnectionTypes.AiTool;
}

/**
 * The same, from an execution context: also true when n8n says so itself (`isToolExecution()`,
 * true in the context an agent gives a tool it calls directly).
 */
export function runsAsTool(ctx: { getNode(): INode; isToolExecution?: () => boolean }): boolean {
	return isToolExecution(ctx.getNode()) || ctx.isToolExecution?.() === true;
}
