'use strict';
// Keeps one `npm start` per user folder and leaves nothing behind. A pid file in the user
// folder records the running session and its n8n process group; the next start uses it (and,
// on Linux, a scan of /proc for n8n processes using this user folder) to find a leftover of
// its own, e.g. after the start script itself was killed with SIGKILL.

const fs = require('fs');
const path = require('path');

const PID_FILE_NAME = 'npm-start.pid.json';

function pidFile(userFolder) {
	return path.join(userFolder, PID_FILE_NAME);
}

function isAlive(pid) {
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

function readProc(pid, file) {
	try {
		return fs.readFileSync(`/proc/${pid}/${file}`, 'utf8');
	} catch {
		return null;
	}
}

/** Process ids on this machine (Linux /proc), or [] where there is no /proc. */
function allPids() {
	try {
		return fs
			.readdirSync('/proc')
			.filter((entry) => /^\d+$/.test(entry))
			.map(Number);
	} catch {
		return [];
	}
}

function processGroupOf(pid) {
	const stat = readProc(pid, 'stat');
	if (!stat) return null;
	// "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so cut after the last ")".
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return Number(fields[2]);
}

function environmentOf(pid) {
	const raw = readProc(pid, 'environ');
	if (!raw) return {};
	return Object.fromEntries(
		raw
			.split('\0')
			.filter(Boolean)
			.map((entry) => {
				const at = entry.indexOf('=');
				return [entry.slice(0, at), entry.slice(at + 1)];
			}),
	);
}

/** Whether any process is still in process group `pgid`. */
function groupIsAlive(pgid) {
	try {
		process.kill(-pgid, 0);
		return true;
	} catch (error) {
		return error.code === 'EPERM';
	}
}

/** Whether a process of group `pgid` runs from `installDir` (true where /proc cannot tell). */
function groupRunsFrom(pgid, installDir) {
	const pids = allPids();
	if (!pids.length) return true;
	return pids.some(
		(pid) => processGroupOf(pid) === pgid && (readProc(pid, 'cmdline') || '').includes(installDir),
	);
}

/**
 * What an earlier `npm start` on this user folder left: `running` is the pid of a start script
 * that is still alive (a second session, not a leftover); `groups` are process groups of n8n
 * processes (n8n, its task runners) that outlived their start script. Only processes run from
 * `installDir` (the cached n8n) count, whatever else has N8N_USER_FOLDER in its environment.
 */
function findLeftovers(userFolder, installDir) {
	const groups = new Set();
	let running = null;
	let recorded = null;
	try {
		recorded = JSON.parse(fs.readFileSync(pidFile(userFolder), 'utf8'));
	} catch {
		// no earlier session, or a file we cannot read: the /proc scan below still runs
	}
	if (recorded) {
		const cmdline = readProc(recorded.pid, 'cmdline');
		const stillOurs =
			isAlive(recorded.pid) &&
			(cmdline === null || cmdline.includes('start.js')) &&
			recorded.pid !== process.pid;
		if (stillOurs) running = recorded;
		else if (
			recorded.n8nPgid &&
			groupIsAlive(recorded.n8nPgid) &&
			groupRunsFrom(recorded.n8nPgid, installDir)
		) {
			groups.add(recorded.n8nPgid);
		}
	}
	if (running) return { running, groups: [] };
	const ownGroup = processGroupOf(process.pid);
	for (const pid of allPids()) {
		if (pid === process.pid || !(readProc(pid, 'cmdline') || '').includes(installDir)) continue;
		if (environmentOf(pid).N8N_USER_FOLDER !== userFolder) continue;
		const pgid = processGroupOf(pid);
		if (pgid && pgid !== ownGroup) groups.add(pgid);
	}
	return { running, groups: [...groups] };
}

/** SIGTERM to each group, SIGKILL to whatever is left after `graceMs`; resolves when all are gone. */
async function stopGroups(groups, graceMs = 2000) {
	for (const pgid of groups) signalGroup(pgid, 'SIGTERM');
	const deadline = Date.now() + graceMs;
	while (Date.now() < deadline && groups.some(groupIsAlive)) await sleep(100);
	for (const pgid of groups) signalGroup(pgid, 'SIGKILL');
	const killDeadline = Date.now() + 5000;
	while (Date.now() < killDeadline && groups.some(groupIsAlive)) await sleep(100);
	return groups.filter(groupIsAlive);
}

function signalGroup(pgid, signal) {
	try {
		process.kill(-pgid, signal);
	} catch {
		// already gone
	}
}

function writePidFile(userFolder, session) {
	fs.mkdirSync(userFolder, { recursive: true });
	fs.writeFileSync(pidFile(userFolder), JSON.stringify({ pid: process.pid, ...session }, null, 2));
}

function removePidFile(userFolder) {
	try {
		const recorded = JSON.parse(fs.readFileSync(pidFile(userFolder), 'utf8'));
		if (recorded.pid === process.pid) fs.rmSync(pidFile(userFolder), { force: true });
	} catch {
		// nothing to remove
	}
}

/**
 * Calls `onOrphaned` once when the process that started us goes away. `npm start` runs us
 * through `sh -c`; should npm or that shell die without passing a signal on (kill -9, an npm
 * that does not forward it), we notice here instead of running on with nobody to stop us.
 */
function watchParent(onOrphaned, intervalMs = 500) {
	const parent = process.ppid;
	const timer = setInterval(() => {
		if (process.ppid !== parent || !isAlive(parent)) {
			clearInterval(timer);
			onOrphaned(parent);
		}
	}, intervalMs);
	timer.unref();
	return () => clearInterval(timer);
}

function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = {
	PID_FILE_NAME,
	pidFile,
	findLeftovers,
	stopGroups,
	groupIsAlive,
	isAlive,
	writePidFile,
	removePidFile,
	watchParent,
};
