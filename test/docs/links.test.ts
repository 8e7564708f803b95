import { readRepoFile, repoEntryKind, repoFileNames } from '../support/node-builtins';

import type { Files } from './markdown';
import { anchorsOf, anchorSet, checkLinks, findLinks, githubSlug, headingsOf, headingText, resolveTarget } from './markdown';

const README_MAX_LINES = 260;

/** The reference beside the README: one page per subject. */
const REFERENCE_PAGES = [
	'courses.md',
	'development.md',
	'errors.md',
	'learners-and-completions.md',
	'sandbox.md',
	'trigger.md',
	'waiting-retries-and-limits.md',
];

const DOCUMENTS = ['README.md', 'CHANGELOG.md', 'BENCHMARKS.md', ...repoFileNames('docs', '.md').map((name) => `docs/${name}`)];

const repository: Files = { kind: repoEntryKind, read: readRepoFile };

/** A repository of a few files in memory, for the checker's own tests. */
function filesOf(contents: Record<string, string>): Files {
	return {
		kind: (path) => {
			if (Object.hasOwn(contents, path)) return 'file';
			return Object.keys(contents).some((each) => each.startsWith(`${path}/`)) ? 'directory' : undefined;
		},
		read: (path) => contents[path],
	};
}

describe('GitHub anchors', () => {
	it.each([
		['Course → Create or Update', 'course--create-or-update'],
		['Mapping: *Courses*', 'mapping-courses'],
		["As an AI agent's tool", 'as-an-ai-agents-tool'],
		['Skip Unchanged Courses in 0.1.x: n8n’s deduplication store', 'skip-unchanged-courses-in-01x-n8ns-deduplication-store'],
		['Writing completions back: 10,000 over 2,000 learners and 500 courses', 'writing-completions-back-10000-over-2000-learners-and-500-courses'],
		['Before and after: 45b0acb → 943e9b2 (distant)', 'before-and-after-45b0acb--943e9b2-distant'],
		['Retiring courses: 1,000 missing of 100,000', 'retiring-courses-1000-missing-of-100000'],
		['snake_case and kebab-case stay', 'snake_case-and-kebab-case-stay'],
		['Ünïcode letters stay, emoji 🚀 go', 'ünïcode-letters-stay-emoji--go'],
	])('makes %p into #%s', (heading, anchor) => {
		expect(githubSlug(heading)).toBe(anchor);
	});

	it.each([
		['`npm run demo` and `--only=retire`', 'npm run demo and --only=retire'],
		['Where *this* **goes** and _that_ too', 'Where this goes and that too'],
		['A [linked](https://example.com) word, an ![image](x.png)', 'A linked word, an'],
		['Fish &amp; chips <sup>1</sup>', 'Fish & chips 1'],
	])('reads the heading %p as GitHub renders it', (source, text) => {
		expect(headingText(source)).toBe(text);
	});

	it('numbers repeated headings -1, -2, … as GitHub does', () => {
		expect(anchorsOf(['Targets', 'Targets', 'Targets', 'Targets 1', 'Targets-1'])).toEqual(['targets', 'targets-1', 'targets-2', 'targets-1-1', 'targets-1-2']);
	});

	it('finds ATX and setext headings, but not the lines of fenced code', () => {
		const markdown = ['# Title #', '', '```sh', '# restart n8n', '```', '', 'Setext two', '---', '', '~~~', 'Not one', '===', '~~~', '#hashtag', '## Closing C#'].join('\n');
		expect(headingsOf(markdown)).toEqual(['Title', 'Setext two', 'Closing C#']);
	});

	it('offers explicit <a name> anchors too', () => {
		expect(anchorSet('<a name="old-place"></a>\n\n# New place').has('old-place')).toBe(true);
	});
});

describe('finding links', () => {
	it('finds inline links and images, wrapped link text and reference definitions, not code', () => {
		const markdown = [
			'See [the page](docs/a.md#top) and ![a picture](docs/images/x.png "title").',
			'A link whose text [wraps',
			'a line](b.md), `[not](code.md)` and:',
			'',
			'```',
			'[nor](fenced.md)',
			'```',
			'[label]: https://example.com/x',
			'<https://example.org/auto>',
		].join('\n');
		const { links } = findLinks(markdown);
		expect(links.map(({ line, kind, target }) => [line, kind, target])).toEqual([
			[1, 'link', 'docs/a.md#top'],
			[1, 'image', 'docs/images/x.png'],
			[2, 'link', 'b.md'],
			[8, 'reference', 'https://example.com/x'],
			[9, 'autolink', 'https://example.org/auto'],
		]);
	});

	it('resolves relative paths from the file that holds them, and refuses to leave the repository', () => {
		expect(resolveTarget('docs/trigger.md', '../README.md')).toBe('README.md');
		expect(resolveTarget('docs/trigger.md', './sandbox.md')).toBe('docs/sandbox.md');
		expect(resolveTarget('docs/trigger.md', '/examples/a.json')).toBe('examples/a.json');
		expect(resolveTarget('README.md', '../outside.md')).toBeUndefined();
	});
});

describe('checking links', () => {
	const files = filesOf({
		'README.md': '# Front\n\n## Install\n',
		'docs/page.md': '# Page\n\n## Course → Get Many\n\n## Targets\n\n## Targets\n',
		'docs/images/x.png': '',
		'nodes/a.ts': '',
	});

	it('passes what resolves: files, folders, images, anchors here and in other files, external links', () => {
		const markdown = [
			'[a](#page) [b](#course--get-many) [c](#targets-1) [d](../README.md#install) [e](../nodes/a.ts#L3-L5)',
			'![f](images/x.png) [g](../nodes) [h](https://docs.kombo.dev/lms/introduction) [i](mailto:someone@example.com)',
		].join('\n');
		expect(checkLinks('docs/page.md', `# Page\n\n## Course → Get Many\n\n## Targets\n\n## Targets\n\n${markdown}`, files)).toEqual({ links: 9, anchors: 5, problems: [] });
	});

	it.each([
		['[x](missing.md)', 'no file or folder docs/missing.md in the repository'],
		['[x](../README.md#installing)', 'no heading in README.md has the anchor #installing (nearest: #install)'],
		['[x](#nowhere)', 'no heading in docs/page.md has the anchor #nowhere'],
		['[x](#)', 'the anchor is empty'],
		['[x]()', 'the target is empty'],
		['![x](images)', 'docs/images is a folder, not an image'],
		['[x](../nodes/a.ts#execute)', '#execute in nodes/a.ts: only Markdown files have heading anchors (a code file takes #L12 or #L12-L20)'],
		['[x](../../up.md)', 'the path leads out of the repository'],
		['[x](https://exa mple.com)', 'Markdown does not read this as a link (a space or an unbalanced bracket in the target?), so it shows as plain text'],
		['[x](<https://exa mple.com>)', 'an external link may not hold spaces'],
		['[x](https://localhost:99999)', 'not a well-formed URL'],
		['[x](https://intranet/page)', 'the host "intranet" is not a domain name'],
		['[x](ftp://example.com/file)', 'the scheme ftp: is not one a reader can follow (http, https or mailto)'],
		['[x](//example.com)', 'a protocol-relative URL: write https:// in full'],
		['[x][nowhere]', 'the reference has no definition ([label]: target) in this file'],
	])('names the file, the line, the link and the problem: %s', (markdown, problem) => {
		expect(checkLinks('docs/page.md', `# Page\n\n${markdown}\n`, files).problems).toEqual([`docs/page.md:3: ${markdown}: ${problem}`]);
	});
});

describe('the documentation', () => {
	it('has the README, CHANGELOG, BENCHMARKS and a reference page per subject in docs/', () => {
		expect(DOCUMENTS.slice(0, 3)).toEqual(['README.md', 'CHANGELOG.md', 'BENCHMARKS.md']);
		expect(DOCUMENTS.filter((document) => document.startsWith('docs/'))).toEqual(expect.arrayContaining(REFERENCE_PAGES.map((page) => `docs/${page}`)));
	});

	it(`keeps the README a front page of at most ${README_MAX_LINES} lines`, () => {
		const lines = readRepoFile('README.md').replace(/\n$/, '').split('\n').length;
		expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
	});

	const anchorsCache = new Map<string, Set<string>>();
	const checks = DOCUMENTS.map((document) => [document, checkLinks(document, readRepoFile(document), repository, anchorsCache)] as const);

	it.each(checks.map(([document, check]) => [document, check.links, check.anchors, check]))(
		'%s: all %i links and images resolve, %i of them to an anchor',
		(_document, _links, _anchors, check) => {
			expect(check.problems).toEqual([]);
		},
	);
});

describe('the Docs links in n8n', () => {
	// The package's own page, until a repository gives docs/ an address: then each leads to its page.
	const homepage = (JSON.parse(readRepoFile('package.json')) as { homepage: string }).homepage;

	it.each([['nodes/Kombo/Kombo.node.json'], ['nodes/KomboTrigger/KomboTrigger.node.json']])('lead from %s to the package’s own page', (file) => {
		const { resources } = JSON.parse(readRepoFile(file)) as { resources: Record<string, Array<{ url: string }>> };
		expect(homepage).toBe('https://www.npmjs.com/package/n8n-nodes-kombo');
		expect(resources.primaryDocumentation.map((each) => each.url)).toEqual([homepage]);
		expect(resources.credentialDocumentation.map((each) => each.url)).toEqual([homepage]);
	});

	it.each([['credentials/KomboApi.credentials.ts'], ['credentials/KomboWebhookApi.credentials.ts']])('lead from %s to the package’s own page', (file) => {
		expect(readRepoFile(file)).toContain(`documentationUrl = '${homepage}';`);
	});
});
