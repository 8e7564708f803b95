const path = require('path');
const { src, dest, parallel } = require('gulp');

// tsc compiles the TypeScript; the node's `file:` icon references and its codex file are not
// TypeScript, so they are copied beside the compiled files they belong to.
function copyNodeAssets() {
	return src(['icons/**/*.svg', 'nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], { base: '.', encoding: false }).pipe(
		dest(path.resolve('dist')),
	);
}

exports.build = parallel(copyNodeAssets);
exports['build:icons'] = copyNodeAssets;
