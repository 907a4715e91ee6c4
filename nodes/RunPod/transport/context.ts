import type { IExecuteFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

/** What every request runs in: the node's execution, or a list search / load-options call. */
export type RequestContext = IExecuteFunctions | ILoadOptionsFunctions;
