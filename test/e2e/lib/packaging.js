'use strict';

// The packaging side of the e2e run: `npm pack`, what the tarball may hold, and the offline part
// of n8n's community-package scanner (`@n8n/scan-community-package`).
//
// The scanner, given a published package, checks its npm provenance and fetches the attested
// source from GitHub (both online), then lints with ESLint: the source checkout with
// SOURCE_FILE_PATTERNS (package.json plus nodes/ and credentials/), and the unpacked tarball's
// compiled `**/*.js` plus its package.json. Its `analyzePackage` is exported, so the same rule
// sets run here on the repository and on the tarball `npm pack` made, with no network.

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const { run } = require('./proc');

const ALLOWED_TOP_LEVEL = [/^dist\//, /^package\.json$/, /^README(\.md)?$/i, /^LICEN[CS]E(\.md|\.txt)?$/i];
const REQUIRED = [
	{ what: 'README', test: (file) => /^README(\.md)?$/i.test(file) },
	{ what: 'LICENSE', test: (file) => /^LICEN[CS]E(\.md|\.txt)?$/i.test(file) },
	{ what: 'package.json', test: (file) => file === 'package.json' },
];

async function pack(repoRoot, destDir) {
	const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', destDir], { cwd: repoRoot, timeoutMs: 120_000 });
	const [info] = JSON.parse(stdout.slice(stdout.indexOf('[')));
	return { tarball: path.join(destDir, info.filename), files: info.files.map((file) => file.path).sort(), size: info.size };
}

/** Problems with the tarball's file list: anything outside dist/, README, LICENSE and package.json, or one of those missing. */
function tarballProblems(files, packageJson) {
	const problems = [];
	const stray = files.filter((file) => !ALLOWED_TOP_LEVEL.some((pattern) => pattern.test(file)));
	if (stray.length > 0) problems.push(`files outside dist/, README, LICENSE and package.json: ${stray.join(', ')}`);
	for (const { what, test } of REQUIRED) {
		if (!files.some(test)) problems.push(`no ${what} in the tarball`);
	}
	const declared = [...(packageJson.n8n?.nodes ?? []), ...(packageJson.n8n?.credentials ?? [])];
	for (const file of declared) {
		if (!files.includes(file)) problems.push(`package.json's n8n section names ${file}, which is not in the tarball`);
	}
	const sources = files.filter((file) => /\.ts$/.test(file) && !/\.d\.ts$/.test(file));
	if (sources.length > 0) problems.push(`TypeScript sources in the tarball: ${sources.join(', ')}`);
	return problems;
}

async function unpack(tarball, dir) {
	fs.mkdirSync(dir, { recursive: true });
	await run('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1'], { timeoutMs: 60_000 });
	return dir;
}

let scanner;
async function loadScanner() {
	if (!scanner) {
		const entry = require.resolve('@n8n/scan-community-package/scanner/scanner.mjs');
		scanner = await import(pathToFileURL(entry).href);
	}
	return scanner;
}

/** The scanner's lint of the unpacked tarball (its `dist` leg). */
async function scanTarball(packageDir) {
	const { analyzePackage } = await loadScanner();
	return await analyzePackage(packageDir, ['**/*.js', 'package.json']);
}

/** The scanner's lint of the source (its provenance leg, here on the working tree). */
async function scanSource(repoRoot) {
	const { analyzePackage, SOURCE_FILE_PATTERNS } = await loadScanner();
	return await analyzePackage(repoRoot, SOURCE_FILE_PATTERNS);
}

/**
 * A package that the scanner must reject (a compiled node that logs to the console and reads the
 * environment), so a scan that silently lints nothing or loses its rules cannot pass as green.
 */
async function scanCanary(dir, packageJson) {
	fs.mkdirSync(path.join(dir, 'dist', 'nodes', 'Canary'), { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(packageJson, null, 2));
	fs.writeFileSync(
		path.join(dir, 'dist', 'nodes', 'Canary', 'Canary.node.js'),
		"'use strict';\nconsole.log(process.env.SECRET);\nmodule.exports = { Canary: class Canary {} };\n",
	);
	return await scanTarball(dir);
}

module.exports = { pack, tarballProblems, unpack, scanTarball, scanSource, scanCanary };
