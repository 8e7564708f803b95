/**
 * What the link test needs to know about a Markdown file, as GitHub renders it: its headings'
 * anchors, and the links and images it holds outside code. Pure functions over text; the file
 * system comes in through `Files`.
 */

/** A link or image as written: where it is, its text and its target. */
export interface MarkdownLink {
	line: number;
	kind: 'link' | 'image' | 'reference' | 'autolink' | 'html';
	/** The link as written, on one line. */
	written: string;
	target: string;
}

// Fences may be indented, as they are inside list items.
const FENCE = /^[ \t]*(`{3,}|~{3,})/;

/** For each line, whether it belongs to a fenced code block (its fences included). */
function fencedLines(lines: readonly string[]): boolean[] {
	let fence: string | undefined;
	return lines.map((line) => {
		if (fence === undefined) {
			const opening = FENCE.exec(line);
			if (opening) fence = opening[1];
			return opening !== null;
		}
		if (new RegExp(`^[ \\t]*${fence[0]}{${fence.length},}[ \\t]*$`).test(line)) fence = undefined;
		return true;
	});
}

/**
 * The text with fenced code blocks and inline code spans blanked out (newlines kept, so offsets
 * and line numbers stay), since a link or heading written there is only code.
 */
export function maskCode(markdown: string): string {
	const lines = markdown.split('\n');
	const fenced = fencedLines(lines);
	return maskCodeSpans(lines.map((line, index) => (fenced[index] ? ' '.repeat(line.length) : line)).join('\n'));
}

/** Blanks `code spans`: a run of backticks up to the next run as long, within one paragraph. */
function maskCodeSpans(text: string): string {
	const out = text.split('');
	let index = 0;
	while (index < text.length) {
		if (text[index] !== '`' || text[index - 1] === '\\') {
			index++;
			continue;
		}
		let run = 1;
		while (text[index + run] === '`') run++;
		const closing = findClosingRun(text, index + run, run);
		if (closing === undefined) {
			index += run;
			continue;
		}
		for (let each = index; each < closing + run; each++) if (out[each] !== '\n') out[each] = ' ';
		index = closing + run;
	}
	return out.join('');
}

function findClosingRun(text: string, from: number, length: number): number | undefined {
	let index = from;
	while (index < text.length) {
		if (text[index] === '\n' && /^\n[ \t]*\n/.test(text.slice(index, index + 80))) return undefined;
		if (text[index] === '`') {
			let run = 1;
			while (text[index + run] === '`') run++;
			if (run === length) return index;
			index += run;
			continue;
		}
		index++;
	}
	return undefined;
}

function lineAt(text: string, offset: number): number {
	let line = 1;
	for (let index = 0; index < offset; index++) if (text[index] === '\n') line++;
	return line;
}

// [text](target) and ![alt](target): the text may hold one level of brackets and wrap lines; the
// target is <anything but >> or has no spaces (balanced parentheses allowed); an optional title.
const INLINE =
	/(!?)\[((?:[^[\]\\]|\\.|\[(?:[^[\]\\]|\\.)*\])*)\]\(\s*(<[^>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const FULL_REFERENCE = /(!?)\[((?:[^[\]\\]|\\.)+)\]\[((?:[^[\]\\]|\\.)*)\]/g;
const DEFINITION = /^ {0,3}\[((?:[^[\]\\]|\\.)+)\]:[ \t]*(<[^>\n]*>|\S+)/gm;
const AUTOLINK = /<((?:https?|mailto):[^\s<>]*)>/gi;
const HTML_ATTRIBUTE = /<(a|img)\b[^>]*?\b(href|src)\s*=\s*("[^"]*"|'[^']*')/gi;

function unwrap(target: string): string {
	const trimmed = target.trim();
	return trimmed.startsWith('<') && trimmed.endsWith('>') ? trimmed.slice(1, -1) : trimmed.replace(/\\(.)/g, '$1');
}

const normaliseLabel = (label: string) => label.trim().replace(/\s+/g, ' ').toLowerCase();
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

/**
 * Every link and image outside code: inline links and images, reference definitions, full
 * references (`[text][label]`, checked for a definition), autolinks and the `href`/`src` of
 * `<a>` and `<img>` tags.
 */
export function findLinks(markdown: string): { links: MarkdownLink[]; undefinedReferences: MarkdownLink[]; unreadable: MarkdownLink[] } {
	const text = maskCode(markdown);
	const links: MarkdownLink[] = [];
	const definitions = new Set<string>();
	const covered: Array<[number, number]> = [];
	for (const match of text.matchAll(INLINE)) {
		const start = match.index ?? 0;
		if (text[start - 1] === '\\') continue;
		covered.push([start, start + match[0].length]);
		links.push({ line: lineAt(text, start), kind: match[1] ? 'image' : 'link', written: oneLine(match[0]), target: unwrap(match[3]) });
	}
	// `](` that no link took: meant as a link, but Markdown reads it as text (a space in the target?).
	const unreadable: MarkdownLink[] = [];
	for (const match of text.matchAll(/\]\(/g)) {
		const at = match.index ?? 0;
		if (covered.some(([start, end]) => at > start && at < end)) continue;
		const from = Math.max(text.lastIndexOf('[', at), text.lastIndexOf('\n', at) + 1);
		const to = text.indexOf(')', at);
		const written = text.slice(from, to === -1 || text.slice(at, to).includes('\n') ? text.indexOf('\n', at) : to + 1);
		unreadable.push({ line: lineAt(text, at), kind: 'link', written: oneLine(written), target: '' });
	}
	for (const match of text.matchAll(DEFINITION)) {
		definitions.add(normaliseLabel(match[1]));
		links.push({ line: lineAt(text, match.index ?? 0), kind: 'reference', written: match[0].trim(), target: unwrap(match[2]) });
	}
	const undefinedReferences: MarkdownLink[] = [];
	for (const match of text.matchAll(FULL_REFERENCE)) {
		const label = normaliseLabel(match[3] === '' ? match[2] : match[3]);
		if (!definitions.has(label)) undefinedReferences.push({ line: lineAt(text, match.index ?? 0), kind: 'reference', written: oneLine(match[0]), target: label });
	}
	for (const match of text.matchAll(AUTOLINK)) {
		links.push({ line: lineAt(text, match.index ?? 0), kind: 'autolink', written: match[0], target: match[1] });
	}
	for (const match of text.matchAll(HTML_ATTRIBUTE)) {
		links.push({ line: lineAt(text, match.index ?? 0), kind: 'html', written: `${oneLine(match[0])}>`, target: match[3].slice(1, -1) });
	}
	links.sort((a, b) => a.line - b.line);
	return { links, undefinedReferences, unreadable };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/**
 * A heading's text as GitHub renders it, which its anchor is made from: links become their text,
 * images and HTML tags go, code spans keep their content, emphasis loses its markers.
 */
export function headingText(source: string): string {
	const parts = source.split(/(`+)([\s\S]*?)\1/);
	let text = '';
	for (let index = 0; index < parts.length; index++) {
		// split with two groups gives: text, ticks, code, text, ticks, code, …
		const position = index % 3;
		if (position === 1) continue;
		if (position === 2) {
			text += parts[index].trim();
			continue;
		}
		text += parts[index]
			.replace(/!\[[^\]]*\]\([^)]*\)/g, '')
			.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
			.replace(/\[([^\]]*)\]\[[^\]]*\]/g, '$1')
			.replace(/<[^>]+>/g, '')
			.replace(/(\*{1,3})(?=\S)([\s\S]*?\S)\1/g, '$2')
			.replace(/(^|[^\p{L}\p{N}])_{1,3}(?=\S)([\s\S]*?\S)_{1,3}(?![\p{L}\p{N}])/gu, '$1$2')
			.replace(/\\([!-/:-@[-`{-~])/g, '$1')
			.replace(/&(#x?[0-9a-f]+|[a-z]+);/gi, (entity, name: string) => {
				if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(name[1] === 'x' || name[1] === 'X' ? 2 : 1), name[1] === 'x' || name[1] === 'X' ? 16 : 10));
				return ENTITIES[name.toLowerCase()] ?? entity;
			});
	}
	return text.trim();
}

/**
 * GitHub's anchor for a heading's text: lower case; every character that is not a letter, a
 * digit, a mark, `_`, `-` or a space dropped (so `→`, `*`, `:`, `'`, `,` and `.` go); each space
 * becomes `-`. "Course → Create or Update" is `course--create-or-update`.
 */
export function githubSlug(text: string): string {
	return text
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}_\- ]/gu, '')
		.replace(/ /g, '-');
}

/** Anchors for headings in order: a repeated one gets -1, -2, … as GitHub gives it. */
export function anchorsOf(headings: readonly string[]): string[] {
	const taken = new Map<string, number>();
	return headings.map((heading) => {
		const base = githubSlug(heading);
		let anchor = base;
		while (taken.has(anchor)) {
			const count = (taken.get(base) ?? 0) + 1;
			taken.set(base, count);
			anchor = `${base}-${count}`;
		}
		taken.set(anchor, 0);
		return anchor;
	});
}

const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const EXPLICIT_ANCHOR = /<a\s[^>]*\b(?:name|id)\s*=\s*["']([^"']+)["']/gi;

/** Every heading's text (ATX and setext, outside fenced code), in order. */
export function headingsOf(markdown: string): string[] {
	const lines = markdown.split('\n');
	const fenced = fencedLines(lines);
	const headings: string[] = [];
	lines.forEach((line, index) => {
		if (fenced[index]) return;
		const atx = ATX.exec(line);
		if (atx) {
			headings.push(headingText(atx[2] ?? ''));
			return;
		}
		const previous = lines[index - 1];
		if (
			SETEXT.test(line) &&
			previous !== undefined &&
			!fenced[index - 1] &&
			previous.trim() !== '' &&
			!ATX.test(previous) &&
			!SETEXT.test(previous) &&
			!/^ {0,3}([|>*+-]|\d+[.)])(\s|$)/.test(previous)
		) {
			headings.push(headingText(previous));
		}
	});
	return headings;
}

/** The anchors a file offers: its headings' and those of explicit `<a name>` or `id` tags. */
export function anchorSet(markdown: string): Set<string> {
	const anchors = new Set(anchorsOf(headingsOf(markdown)));
	for (const match of maskCode(markdown).matchAll(EXPLICIT_ANCHOR)) anchors.add(match[1]);
	return anchors;
}

/**
 * Resolves a relative target against the folder of the file that holds it, in POSIX form from
 * the repository's root; a target starting with `/` is from the root, as GitHub reads it.
 * Undefined when it climbs out of the repository.
 */
export function resolveTarget(fromFile: string, target: string): string | undefined {
	const base = target.startsWith('/') ? [] : fromFile.split('/').slice(0, -1);
	const parts = [...base];
	for (const part of target.split('/')) {
		if (part === '' || part === '.') continue;
		if (part === '..') {
			if (parts.length === 0) return undefined;
			parts.pop();
		} else parts.push(part);
	}
	return parts.join('/');
}

/** How the link test reaches the repository's files. */
export interface Files {
	kind(path: string): 'file' | 'directory' | undefined;
	read(path: string): string;
}

export interface LinkCheck {
	links: number;
	anchors: number;
	problems: string[];
}

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

function externalProblem(target: string): string | undefined {
	if (/\s/.test(target)) return 'an external link may not hold spaces';
	let url: URL;
	try {
		url = new URL(target);
	} catch {
		return 'not a well-formed URL';
	}
	if (url.protocol === 'mailto:') return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(url.pathname) ? undefined : 'not a well-formed email address';
	if (url.protocol !== 'http:' && url.protocol !== 'https:') return `the scheme ${url.protocol} is not one a reader can follow (http, https or mailto)`;
	if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/i.test(url.hostname) && url.hostname !== 'localhost') return `the host "${url.hostname}" is not a domain name`;
	return undefined;
}

function decode(part: string): string {
	try {
		return decodeURIComponent(part);
	} catch {
		return part;
	}
}

/**
 * Checks every link and image of one Markdown file: a relative target must exist (an image must
 * be a file), an anchor must be a heading's anchor in the target Markdown file (GitHub's rules),
 * an external link must be a well-formed http(s) or mailto URL. External links are never fetched.
 * Each problem names the file and line, the link as written, and what is wrong.
 */
export function checkLinks(file: string, markdown: string, files: Files, anchorsCache = new Map<string, Set<string>>()): LinkCheck {
	const anchorsIn = (path: string) => {
		let anchors = anchorsCache.get(path);
		if (!anchors) {
			anchors = anchorSet(files.read(path));
			anchorsCache.set(path, anchors);
		}
		return anchors;
	};
	const { links, undefinedReferences, unreadable } = findLinks(markdown);
	const problems: string[] = [];
	let anchors = 0;
	const report = (link: MarkdownLink, problem: string) => problems.push(`${file}:${link.line}: ${link.written}: ${problem}`);
	for (const link of undefinedReferences) report(link, 'the reference has no definition ([label]: target) in this file');
	for (const link of unreadable) report(link, 'Markdown does not read this as a link (a space or an unbalanced bracket in the target?), so it shows as plain text');
	for (const link of links) {
		const { target } = link;
		if (target === '') {
			report(link, 'the target is empty');
			continue;
		}
		if (SCHEME.test(target) && !/^[a-z]:[\\/]/i.test(target)) {
			const problem = externalProblem(target);
			if (problem) report(link, problem);
			continue;
		}
		if (target.startsWith('//')) {
			report(link, 'a protocol-relative URL: write https:// in full');
			continue;
		}
		const hashAt = target.indexOf('#');
		const pathPart = decode((hashAt === -1 ? target : target.slice(0, hashAt)).replace(/\?.*$/, ''));
		const anchor = hashAt === -1 ? undefined : decode(target.slice(hashAt + 1));
		let targetFile = file;
		if (pathPart !== '') {
			const resolved = resolveTarget(file, pathPart);
			if (resolved === undefined) {
				report(link, 'the path leads out of the repository');
				continue;
			}
			const kind = resolved === '' ? 'directory' : files.kind(resolved);
			if (kind === undefined) {
				report(link, `no file or folder ${resolved} in the repository`);
				continue;
			}
			if (link.kind === 'image' && kind !== 'file') {
				report(link, `${resolved} is a folder, not an image`);
				continue;
			}
			if (anchor !== undefined && kind !== 'file') {
				report(link, `${resolved} is a folder, which has no anchors`);
				continue;
			}
			targetFile = resolved;
		}
		if (anchor === undefined) continue;
		anchors++;
		if (anchor === '') {
			report(link, 'the anchor is empty');
			continue;
		}
		if (!/\.(md|markdown)$/i.test(targetFile)) {
			if (!/^L\d+(-L\d+)?$/.test(anchor)) report(link, `#${anchor} in ${targetFile}: only Markdown files have heading anchors (a code file takes #L12 or #L12-L20)`);
			continue;
		}
		const offered = anchorsIn(targetFile);
		if (!offered.has(anchor)) {
			const closeness = (each: string) => (each.includes(anchor) || anchor.includes(each) ? 0 : each.split('-')[0] === anchor.split('-')[0] ? 1 : 2);
			const near = [...offered].filter((each) => closeness(each) < 2).sort((a, b) => closeness(a) - closeness(b)).slice(0, 3);
			report(link, `no heading in ${targetFile} has the anchor #${anchor}${near.length > 0 ? ` (nearest: ${near.map((each) => `#${each}`).join(', ')})` : ''}`);
		}
	}
	return { links: links.length, anchors, problems };
}
