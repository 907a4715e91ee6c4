/** Container registry credentials and ECR delegations (REST v2 only). */

/** A stored credential: RunPod never gives back its username or password. */
export interface ContainerRegistryAuth {
	id: string;
	name: string | null;
}

export interface CreateContainerRegistryAuthInput {
	name: string;
	username: string;
	/** Write-only: sent once, never in an output or an error. */
	password: string;
}

/** A created credential, and whether it was found again after the answer was lost. */
export interface CreatedContainerRegistryAuth {
	registryAuth: ContainerRegistryAuth;
	recovered: boolean;
}

/** RunPod may pull images from this ECR repository on the account's behalf. */
export interface EcrDelegation {
	id: string;
	name: string | null;
	awsUser: string | null;
	repository: string | null;
	tag: string | null;
	awsRegion: string | null;
	dockerRegistryUri: string | null;
	createdAt: string | null;
}

export interface CreateEcrDelegationInput {
	/** The ECR repository ARN: arn:aws:ecr:<region>:<account>:repository/<name>. */
	resourceArn: string;
	name?: string;
}

export interface CreatedEcrDelegation {
	delegation: EcrDelegation;
	recovered: boolean;
}

/** arn:aws:ecr:<region>:<12-digit account>:repository/<name>: groups region, account, repository. */
export const ECR_REPOSITORY_ARN = /^arn:aws:ecr:([a-z0-9-]+):(\d{12}):repository\/(\S+)$/;
