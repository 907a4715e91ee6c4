/**
 * What the node says about the API key, shared by the node (api/failureAdvice.ts) and the
 * credential's Test so the dialog says what the node would say.
 */

/** GraphQL's `errors[0].message == "Unauthorized"`: RunPod knows the key, but it may not do this. */
export const KEY_MAY_NOT_DO_THIS =
	'The API key is valid but may not do this. Mutations need a key with Read/Write permission: RunPod console → Settings → API Keys.';

/** HTTP 401. */
export const KEY_REJECTED =
	'RunPod rejected the API key (HTTP 401). Check the API key in the RunPod API credential, or create a new key in the RunPod console → Settings → API Keys.';

/** HTTP 403 on REST v2: the key lacks the scope. */
export const KEY_LACKS_SCOPE =
	"RunPod accepted the API key but it lacks the permission (scope) for this request (HTTP 403). In the RunPod console → Settings → API Keys, give the key Read/Write access (Read is enough for Get and Get Many). On GraphQL a 403 is RunPod's firewall instead: wait a moment and try again.";

/** `myself: null`: the request carried no key RunPod could read. */
export const NO_KEY_SEEN =
	'RunPod did not recognise an API key in the request. Check that the API key field is filled in.';

/** HTTP 404 on the test request. */
export const WRONG_BASE_URL =
	"Nothing at this Base URL answers like RunPod (HTTP 404). Check Base URL: RunPod's is https://api.runpod.io (no /graphql or /v2 at the end). If it is right and API is GraphQL, RunPod may have retired GraphQL: set API to REST v2.";

/** HTTP 410 on /graphql. */
export const GRAPHQL_GONE =
	"RunPod's GraphQL API answered as retired (HTTP 410). Set API to REST v2: the same workflows work there.";
