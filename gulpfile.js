const { src, dest, parallel } = require('gulp');

// tsc does not copy icons; n8n resolves `file:` icon paths next to the compiled .js files.
function copyNodeIcons() {
	return src('nodes/**/*.svg').pipe(dest('dist/nodes'));
}

function copyCredentialIcons() {
	return src('credentials/**/*.svg').pipe(dest('dist/credentials'));
}

exports['build:icons'] = parallel(copyNodeIcons, copyCredentialIcons);
