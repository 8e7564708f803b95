// n8n-core writes its settings (with a fresh encryption key) into the user folder when it loads;
// each test process gets a throwaway one instead of ~/.n8n.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-nodes-kombo-test-'));
}
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
process.env.N8N_SSRF_PROTECTION_ENABLED = 'false';
