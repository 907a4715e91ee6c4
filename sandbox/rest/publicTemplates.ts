/**
 * /v2/catalog/templates: RunPod's public template catalog. `official` and `verified` are fixed
 * lists (RunPod curates them); `community` is every template an account shared (isPublic), the
 * sandbox's own ones included.
 */
import type { TemplateRecord } from '../state';
import { ok } from './route';
import type { RestRoute } from './route';
import { restTemplateView } from './templates';

const template = (
	fields: Partial<TemplateRecord> & Pick<TemplateRecord, 'id' | 'name' | 'imageName'>,
): TemplateRecord => ({
	containerDiskInGb: 50,
	volumeInGb: 20,
	volumeMountPath: '/workspace',
	dockerArgs: '',
	env: [],
	ports: '8888/http,22/tcp',
	isServerless: false,
	isPublic: true,
	startSsh: true,
	startJupyter: true,
	readme: '',
	containerRegistryAuthId: null,
	category: 'NVIDIA',
	allowedCudaVersions: [],
	...fields,
});

const OFFICIAL: TemplateRecord[] = [
	template({
		id: 'runpodtorch280',
		name: 'Runpod Pytorch 2.8.0',
		imageName: 'runpod/pytorch:1.0.2-cu1281-torch280-ubuntu2404',
	}),
	template({
		id: 'runpodcomfyui',
		name: 'ComfyUI',
		imageName: 'runpod/comfyui:latest',
		ports: '8188/http,8888/http,22/tcp',
	}),
	template({
		id: 'runpodvllmsls',
		name: 'vLLM Worker',
		imageName: 'runpod/worker-v1-vllm:v2.7.0',
		containerDiskInGb: 30,
		volumeInGb: 0,
		ports: '',
		isServerless: true,
		startJupyter: false,
		startSsh: false,
	}),
	template({
		id: 'runpodubuntucpu',
		name: 'Ubuntu 24.04 (CPU)',
		imageName: 'runpod/base:0.7.0-ubuntu2404',
		containerDiskInGb: 20,
		category: 'CPU',
		startJupyter: false,
	}),
];

const VERIFIED: TemplateRecord[] = [
	template({
		id: 'verifiedollama1',
		name: 'Ollama',
		imageName: 'ollama/ollama:latest',
		ports: '11434/http,22/tcp',
		startJupyter: false,
	}),
];

export const publicTemplateRoutes: RestRoute[] = [
	{
		operationId: 'listPublicTemplates',
		handle: ({ ctx, params }) => {
			const source = (params.source as string | undefined) ?? 'official';
			const listed =
				source === 'official'
					? OFFICIAL
					: source === 'verified'
						? VERIFIED
						: ctx.state.templates.filter((t) => t.isPublic);
			// Catalog entries carry no registry credential, whoever owns them (spec); at most 100.
			return ok({
				templates: listed.slice(0, 100).map((t) => ({ ...restTemplateView(t), registry: null })),
			});
		},
	},
];
