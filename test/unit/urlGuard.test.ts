/** What Binary Output may download, decided from the URL alone (before any request). */
import { redactedWebhookUrl, urlProblem } from '../../nodes/RunPod/helpers/urlGuard';

const TRUSTED = ['http://127.0.0.1:8787', 'https://api.runpod.ai'];

describe('urlProblem: the hosts a URL from job output may not name', () => {
	test.each([
		'https://example.com/out/image.png',
		'https://8.8.8.8/a.png',
		'https://[2606:4700::1111]/a.png',
		'https://files.runpod.example/a.png?X-Amz-Signature=abc',
		'http://127.0.0.1:8787/v2/endpoint/files/a.png',
		'https://api.runpod.ai/v2/x/file',
	])('fetched: %s', (url) => {
		expect(urlProblem(url, TRUSTED)).toBeUndefined();
	});

	test.each([
		['http://example.com/a.png', 'plain http'],
		['http://127.0.0.1:8788/a.png', 'plain http'],
		['https://0.0.0.0/', '"this network"'],
		['https://100.100.100.200/latest/meta-data/', 'carrier-grade NAT'],
		['https://192.168.1.1/', 'private'],
		['https://172.31.255.255/', 'private'],
		['https://017700000001/', 'loopback'],
		['https://[::ffff:7f00:1]/', 'loopback address, written as IPv6'],
		['https://[64:ff9b::a9fe:a9fe]/', 'link-local'],
		['https://[fd00:ec2::254]/latest/meta-data/', 'unique local'],
		['https://[fe80::1]/', 'link-local'],
		['https://[::]/', 'unspecified'],
		['https://metadata.goog/', 'cloud metadata'],
		['https://printer.local/', 'reserved for local'],
		['https://intranet/', 'without a domain'],
		['https://user:pw@example.com/', 'user name or password'],
	])('refused: %s', (url, why) => {
		expect(urlProblem(url, TRUSTED)).toContain(why);
	});
});

describe('redactedWebhookUrl', () => {
	test('keeps where results go, hides the last path segment, query values and credentials', () => {
		expect(
			redactedWebhookUrl('https://n8n.example.com/webhook/abc/job/S3cret-token_0123456789'),
		).toBe('https://n8n.example.com/webhook/abc/job/***');
		expect(redactedWebhookUrl('https://u:p@hooks.example.com/in?token=xyz&a=1')).toBe(
			'https://hooks.example.com/***?token=***&a=***',
		);
	});
});
