// Jest setup: the sandbox's config for tests that build a runtime without naming a config, set
// explicitly here because src/ has no fallback (a production process without it stops).
const { join } = require('node:path');

process.env.LUCCA_CONNECTORS_CONFIG ||= join(__dirname, '../../config/sandbox.yaml');
