import * as account from './account';
import * as dataCenters from './dataCenters';
import * as endpoints from './endpoints';
import * as gpus from './gpus';
import * as networkVolumes from './networkVolumes';
import * as pods from './pods';
import * as templates from './templates';

/** Every GraphQL document the package can send, by module, for the contract tests. */
export const allDocuments: Record<string, Record<string, string>> = {
	account: account.documents,
	dataCenters: dataCenters.documents,
	endpoints: endpoints.documents,
	gpus: gpus.documents,
	networkVolumes: networkVolumes.documents,
	pods: pods.documents,
	templates: templates.documents,
};
