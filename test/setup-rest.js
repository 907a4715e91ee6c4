// The second run of the workflow tests talks REST v2 (see test/workflow/harness.ts TEST_API).
process.env.RUNPOD_TEST_API = 'restV2';
