// n8n-core logs every node error through its own logger; the tests assert errors, so keep the output readable.
process.env.N8N_LOG_LEVEL = process.env.N8N_LOG_LEVEL || 'silent';
