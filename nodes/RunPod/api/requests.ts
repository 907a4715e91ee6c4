import * as graphql from '../transport/graphql';
import * as jobs from '../transport/jobRequest';
import * as rest from '../transport/rest';
import { withAdvice } from './failureAdvice';

/**
 * The transport's requests as the api layer sends them: a failure leaves with the advice of
 * api/failureAdvice.ts. Adapters import requests from here, never from transport/ directly
 * (dependency-cruiser checks it), so no failure reaches the user without it.
 */
function advised<A extends unknown[], R>(request: (...args: A) => Promise<R>) {
	return async (...args: A): Promise<R> => {
		try {
			return await request(...args);
		} catch (error) {
			throw withAdvice(error);
		}
	};
}

export const graphqlRequest = advised(graphql.graphqlRequest);
export const graphqlRequestWithRecovery = advised(graphql.graphqlRequestWithRecovery);
export const restRequest = advised(rest.restRequest);
export const restRequestWithRecovery = advised(rest.restRequestWithRecovery);
export const restGetOrNull = advised(rest.restGetOrNull);
export const restEventStream = advised(rest.restEventStream);
export const jobRequest = advised(jobs.jobRequest);

/** What the adapters need beside the requests. */
export { segment } from '../transport/rest';
export { DEFAULT_SERVERLESS_BASE_URL, endpointBaseUrl, errorText } from '../transport/jobRequest';
export { DEFAULT_BASE_URL } from '../transport/request';
