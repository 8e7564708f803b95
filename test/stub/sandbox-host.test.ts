import { exposureWarning, isLoopbackHost, parseArgs } from '../../scripts/sandbox';
import { startKomboStub } from '../support/kombo-stub';
import { startSandboxProcess } from '../support/sandbox-process';

const KEY = 'ks_dev_sandbox_key';

async function checkApiKey(url: string): Promise<number> {
	const response = await fetch(`${url}/check-api-key`, { headers: { Authorization: `Bearer ${KEY}` } });
	await response.text();
	return response.status;
}

async function refused(url: string): Promise<boolean> {
	try {
		await checkApiKey(url);
		return false;
	} catch (error) {
		return /ECONNREFUSED/.test(String((error as { cause?: { code?: string } }).cause?.code));
	}
}

describe('sandbox: --host', () => {
	it('listens on 127.0.0.1 unless told otherwise', () => {
		expect(parseArgs([]).host).toBe('127.0.0.1');
		expect(parseArgs(['--host', '127.0.0.2']).host).toBe('127.0.0.2');
		expect(parseArgs(['--host=0.0.0.0']).host).toBe('0.0.0.0');
		expect(parseArgs(['--host', '[::1]']).host).toBe('::1');
		expect(parseArgs(['--host', 'localhost']).host).toBe('localhost');
	});

	it('rejects a host that is not an address', () => {
		expect(() => parseArgs(['--host', 'example.com'])).toThrow(/--host must be an IP address/);
		expect(() => parseArgs(['--host'])).toThrow(/--host needs a value/);
	});

	it('knows which addresses only this machine can reach', () => {
		for (const host of ['127.0.0.1', '127.0.0.2', '127.255.0.9', '::1', 'localhost', '::ffff:127.0.0.1']) {
			expect([host, isLoopbackHost(host)]).toEqual([host, true]);
		}
		for (const host of ['0.0.0.0', '::', '192.168.1.20', '10.0.0.1', '172.17.0.1']) {
			expect([host, isLoopbackHost(host)]).toEqual([host, false]);
		}
	});

	it('warns that a non-loopback sandbox is reachable from other machines and has a well-known key', () => {
		const warning = exposureWarning('0.0.0.0', KEY);
		expect(warning).toMatch(/^WARNING: the sandbox listens on 0\.0\.0\.0, which is not a loopback address/);
		expect(warning).toMatch(/other machines/);
		expect(warning).toContain(`well-known key ${KEY}`);
		expect(exposureWarning('0.0.0.0', 'ks_dev_my_own')).not.toContain('ks_dev_my_own');
		expect(exposureWarning('127.0.0.2', KEY)).toBeUndefined();
		expect(exposureWarning('::1', KEY)).toBeUndefined();
	});

	it('the stub listens on the address given, and only there', async () => {
		const stub = await startKomboStub({ host: '127.0.0.2' });
		try {
			expect(stub.url).toBe(`http://127.0.0.2:${stub.port}/v1`);
			expect(await checkApiKey(stub.url)).toBe(200);
			expect(await refused(`http://127.0.0.1:${stub.port}/v1`)).toBe(true);
		} finally {
			await stub.close();
		}
	});

	it('npm run sandbox -- --host 127.0.0.2 serves there, prints that URL and no warning', async () => {
		const sandbox = await startSandboxProcess(['--host', '127.0.0.2', '--port', '0', '--quiet']);
		try {
			expect(sandbox.url).toBe(`http://127.0.0.2:${sandbox.port}/v1`);
			expect(sandbox.stdout()).toContain(`Base URL         http://127.0.0.2:${sandbox.port}/v1`);
			expect(await checkApiKey(sandbox.url)).toBe(200);
			expect(await refused(`http://127.0.0.1:${sandbox.port}/v1`)).toBe(true);
			expect(sandbox.stderr()).not.toMatch(/WARNING/);
		} finally {
			expect(await sandbox.stop()).toBe(0);
		}
	});
});
