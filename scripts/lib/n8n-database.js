'use strict';
// Reads and writes the local n8n's SQLite database while n8n is NOT running, with the sqlite3
// module n8n ships (built for Node 24, so it runs on the cached Node 24). Used by `npm start`
// for what n8n's CLI cannot do: tell whether a credential exists, which workflows are
// published, and register the package the way Settings → Community Nodes lists it.

const fs = require('fs');
const path = require('path');
const { spawnSync } = require('child_process');

// Runs on Node 24 with n8n's node_modules: argv[1] is the database, argv[2] a JSON list of
// { sql, params } run in one transaction; prints the rows of every statement as JSON.
const WORKER = `
const sqlite3 = require('sqlite3');
const [file, statements] = [process.argv[1], JSON.parse(process.argv[2])];
const db = new sqlite3.Database(file, sqlite3.OPEN_READWRITE, (error) => { if (error) fail(error); });
function fail(error) { process.stderr.write(String(error && error.message || error)); process.exit(1); }
const all = (sql, params) => new Promise((resolve, reject) => db.all(sql, params, (e, rows) => (e ? reject(e) : resolve(rows))));
(async () => {
	await all('PRAGMA foreign_keys = ON', []);
	await all('BEGIN', []);
	const results = [];
	try {
		for (const { sql, params } of statements) results.push(await all(sql, params || []));
		await all('COMMIT', []);
	} catch (error) {
		await all('ROLLBACK', []).catch(() => undefined);
		throw error;
	}
	db.close(() => process.stdout.write(JSON.stringify(results)));
})().catch(fail);
`;

function databaseFile(userFolder) {
	return path.join(userFolder, '.n8n', 'database.sqlite');
}

/**
 * Runs statements in one transaction; resolves each statement's rows. Returns null when the
 * database does not exist yet (n8n creates it on its first command).
 */
function runStatements(install, userFolder, statements) {
	const file = databaseFile(userFolder);
	if (!fs.existsSync(file)) return null;
	const result = spawnSync(install.nodeBinary, ['-e', WORKER, file, JSON.stringify(statements)], {
		cwd: path.dirname(install.n8nModules),
		env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_PATH: install.n8nModules },
		encoding: 'utf8',
		timeout: 30000,
	});
	if (result.status !== 0) {
		throw new Error(
			`could not read n8n's database ${file}: ${result.stderr || result.error?.message || result.status}`,
		);
	}
	return JSON.parse(result.stdout);
}

function credentialExists(install, userFolder, id) {
	const results = runStatements(install, userFolder, [
		{ sql: 'SELECT id FROM credentials_entity WHERE id = ?', params: [id] },
	]);
	return Boolean(results && results[0].length);
}

/** The ids among `ids` whose workflow is published (has an active version). */
function publishedWorkflowIds(install, userFolder, ids) {
	if (!ids.length) return [];
	const results = runStatements(install, userFolder, [
		{
			sql: `SELECT id FROM workflow_entity WHERE activeVersionId IS NOT NULL AND id IN (${ids.map(() => '?').join(',')})`,
			params: ids,
		},
	]);
	return results ? results[0].map((row) => row.id) : [];
}

/**
 * Records the package and its nodes in installed_packages/installed_nodes, as n8n's
 * community-packages service does after an install from the UI, so that Settings →
 * Community Nodes lists it. Replaces an earlier record of the same package.
 */
function registerCommunityPackage(install, userFolder, { packageJson, nodes }) {
	const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
	const statements = [
		{ sql: 'DELETE FROM installed_nodes WHERE package = ?', params: [packageJson.name] },
		{ sql: 'DELETE FROM installed_packages WHERE packageName = ?', params: [packageJson.name] },
		{
			sql: 'INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?)',
			params: [
				packageJson.name,
				packageJson.version,
				packageJson.author?.name ?? null,
				packageJson.author?.email ?? null,
				now,
				now,
			],
		},
		...nodes.map((node) => ({
			sql: 'INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)',
			params: [
				node.displayName,
				`${packageJson.name}.${node.name}`,
				node.version,
				packageJson.name,
			],
		})),
		{
			sql: 'SELECT packageName FROM installed_packages WHERE packageName = ?',
			params: [packageJson.name],
		},
	];
	const results = runStatements(install, userFolder, statements);
	return Boolean(results && results[results.length - 1].length);
}

module.exports = {
	databaseFile,
	runStatements,
	credentialExists,
	publishedWorkflowIds,
	registerCommunityPackage,
};
