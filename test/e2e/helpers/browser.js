'use strict';
// Debian's Chromium (/usr/bin/chromium) driven by playwright-core; no browser download.
// Flags: the machine has no outside network, so Chromium's background connections are off.
const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const { REPO_ROOT } = require('../../../scripts/lib/package-install');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS_DIR = path.join(REPO_ROOT, 'artifacts');

async function launchChromium() {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(
			`${CHROMIUM} is missing: install it with "apt-get install -y chromium" (.ci/run does)`,
		);
	}
	// playwright gives every launch a fresh, empty profile (user data dir) of its own.
	return chromium.launch({
		executablePath: CHROMIUM,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
}

async function screenshot(page, name) {
	fs.mkdirSync(ARTIFACTS_DIR, { recursive: true });
	const file = path.join(ARTIFACTS_DIR, `${name}.png`);
	await page.screenshot({ path: file });
	return file;
}

module.exports = { launchChromium, screenshot };
