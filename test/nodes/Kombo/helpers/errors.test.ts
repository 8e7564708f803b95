import { describeKomboError, ERROR_HINTS, redact } from '../../../../nodes/Kombo/helpers/errors';

describe('describeKomboError', () => {
	it('takes a request’s own hint for a code over the course operations’ one', () => {
		const error = { code: 'INTEGRATION.PERMISSION_MISSING', title: null, message: 'm', log_url: null };
		expect(describeKomboError(error, 403, { 'INTEGRATION.PERMISSION_MISSING': 'Own hint.' })).toBe('Kombo error INTEGRATION.PERMISSION_MISSING, HTTP 403. Own hint.');
		expect(describeKomboError(error, 403, { 'OTHER.CODE': 'x' })).toContain('Upsert courses');
	});

	it('gives the code, the status, one way to fix it and the log link', () => {
		expect(
			describeKomboError(
				{ code: 'INTEGRATION.PERMISSION_MISSING', title: null, message: 'no', log_url: 'https://app.kombo.dev/logs/1' },
				403,
			),
		).toBe(
			`Kombo error INTEGRATION.PERMISSION_MISSING, HTTP 403. ${ERROR_HINTS['INTEGRATION.PERMISSION_MISSING']} Details in Kombo's log: https://app.kombo.dev/logs/1`,
		);
	});

	it.each([
		'PLATFORM.AUTHENTICATION_INVALID',
		'PLATFORM.INTEGRATION_NOT_FOUND',
		'INTEGRATION.PERMISSION_MISSING',
		'INTEGRATION.ACTION_DISABLED',
		'INTEGRATION.INACTIVE',
		'INTEGRATION.SETUP_SYNC_PENDING',
		'PLATFORM.INPUT_INVALID',
		'PLATFORM.IP_NOT_WHITELISTED',
		'LMS.COURSE_UPDATE_NOT_SUPPORTED',
	])('has a fix for %s', (code) => {
		expect(describeKomboError({ code, title: null, message: 'x', log_url: null })).toContain(ERROR_HINTS[code]);
	});

	it('gives only the code and the log link for a code it has no fix for', () => {
		expect(describeKomboError({ code: 'PLATFORM.SOMETHING_NEW', title: null, message: 'x', log_url: null })).toBe(
			'Kombo error PLATFORM.SOMETHING_NEW.',
		);
		expect(
			describeKomboError({ code: 'PLATFORM.SOMETHING_NEW', title: null, message: 'x', log_url: 'https://app.kombo.dev/logs/2' }, 500),
		).toBe("Kombo error PLATFORM.SOMETHING_NEW, HTTP 500. Details in Kombo's log: https://app.kombo.dev/logs/2");
	});
});

describe('redact', () => {
	it('removes every copy of a secret', () => {
		expect(redact('Bearer ks_dev_abc123 and ks_dev_abc123', ['ks_dev_abc123'])).toBe('Bearer [redacted] and [redacted]');
	});

	it('removes a secret of four characters', () => {
		expect(redact('key=abcd;', ['abcd'])).toBe('key=[redacted];');
	});

	it('leaves the text readable when a secret is empty or too short to be one', () => {
		expect(redact('HTTP 401 from api', ['', 'a', 'api'])).toBe('HTTP 401 from api');
	});
});
