/**
 * The origin-verify secret's handler (CDK-free): Secrets Manager rotation and, as the onEvent
 * handler of a CloudFormation custom resource, the secret's initialization.
 *
 * The secret's JSON holds three generations of the header value:
 * `{"previous": "…", "current": "…", "next": "…"}`. CloudFront sends `current`; the load balancers
 * accept all three. A rotation shifts them by one (previous ← current, current ← next, next ← a
 * new random value), so a load balancer resolved one generation before or after CloudFront still
 * accepts CloudFront's header, whatever order the stacks are deployed in.
 *
 * Rotation follows Secrets Manager's four steps (createSecret, setSecret, testSecret,
 * finishSecret); setSecret has nothing to do: the consumers read the secret by CloudFormation
 * dynamic reference on their next deployment.
 *
 * @see https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
 */

/** The Secrets Manager calls the handler makes (the v3 SDK's aggregated `SecretsManager` client has them). */
export interface SecretsClient {
  describeSecret(input: { SecretId: string }): Promise<{ RotationEnabled?: boolean; VersionIdsToStages?: Record<string, string[]> }>;
  getSecretValue(input: { SecretId: string; VersionId?: string; VersionStage?: string }): Promise<{ SecretString?: string; VersionId?: string }>;
  putSecretValue(input: { SecretId: string; SecretString: string; ClientRequestToken?: string; VersionStages?: string[] }): Promise<unknown>;
  updateSecretVersionStage(input: {
    SecretId: string; VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string;
  }): Promise<unknown>;
  getRandomPassword(input: { PasswordLength: number; ExcludePunctuation: boolean; IncludeSpace: boolean }): Promise<{ RandomPassword?: string }>;
}

/** The three generations of the header value. */
export interface OriginVerifyValues {
  previous: string;
  current: string;
  next: string;
}

/** Length of a generated value: the ALB compares header values of up to 128 characters. */
export const VALUE_LENGTH = 64;
/** Letters and digits only: ALB header conditions treat `*` and `?` as wildcards. */
const VALUE_PATTERN = /^[A-Za-z0-9]{32,128}$/;

/** A Secrets Manager rotation event. */
export interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
}

/** A custom-resource event of the CDK provider framework. */
export interface InitializeEvent {
  RequestType: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
  ResourceProperties: { SecretId: string };
}

/** The provider framework's response. */
export interface InitializeResult {
  PhysicalResourceId: string;
}

/** Parses and checks a secret string; throws with what is wrong (never with the values). */
export function parseValues(secretString: string | undefined): OriginVerifyValues {
  let parsed: Partial<OriginVerifyValues>;
  try {
    parsed = JSON.parse(secretString ?? '');
  } catch {
    throw new Error('origin-verify secret is not JSON');
  }
  for (const key of ['previous', 'current', 'next'] as const) {
    const value = parsed[key];
    if (typeof value !== 'string' || !VALUE_PATTERN.test(value)) {
      throw new Error(`origin-verify secret: '${key}' must be 32–128 letters and digits`);
    }
  }
  return parsed as OriginVerifyValues;
}

async function randomValue(client: SecretsClient): Promise<string> {
  const out = await client.getRandomPassword({ PasswordLength: VALUE_LENGTH, ExcludePunctuation: true, IncludeSpace: false });
  if (!out.RandomPassword || !VALUE_PATTERN.test(out.RandomPassword)) throw new Error('GetRandomPassword returned no usable value');
  return out.RandomPassword;
}

function isNotFound(error: unknown): boolean {
  return (error as { name?: string }).name === 'ResourceNotFoundException';
}

/** The rotation steps. */
export function createRotationHandler(client: SecretsClient) {
  return async (event: RotationEvent): Promise<void> => {
    const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
    const meta = await client.describeSecret({ SecretId: secretId });
    if (meta.RotationEnabled === false) throw new Error(`secret ${secretId} does not have rotation enabled`);
    const stages = meta.VersionIdsToStages?.[token];
    if (!stages) throw new Error(`secret ${secretId} has no version ${token}`);
    if (stages.includes('AWSCURRENT') && step !== 'finishSecret') return; // already current: nothing to do
    if (!stages.includes('AWSPENDING') && !stages.includes('AWSCURRENT')) throw new Error(`version ${token} of ${secretId} is not pending`);

    switch (step) {
      case 'createSecret': {
        try {
          await client.getSecretValue({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' });
          return; // a retried event: the pending value exists
        } catch (error) {
          if (!isNotFound(error)) throw error;
        }
        const current = await client.getSecretValue({ SecretId: secretId, VersionStage: 'AWSCURRENT' });
        let values: Partial<OriginVerifyValues> = {};
        try {
          values = parseValues(current.SecretString);
        } catch {
          // An uninitialized secret: keep what is usable, generate the rest.
          try { values = JSON.parse(current.SecretString ?? '{}'); } catch { values = {}; }
        }
        const shifted: OriginVerifyValues = {
          previous: typeof values.current === 'string' && VALUE_PATTERN.test(values.current) ? values.current : await randomValue(client),
          current: typeof values.next === 'string' && VALUE_PATTERN.test(values.next) ? values.next : await randomValue(client),
          next: await randomValue(client),
        };
        await client.putSecretValue({ SecretId: secretId, ClientRequestToken: token, SecretString: JSON.stringify(shifted), VersionStages: ['AWSPENDING'] });
        return;
      }
      case 'setSecret':
        // The load balancers and CloudFront read the value by dynamic reference at deploy time.
        return;
      case 'testSecret': {
        let pending: { SecretString?: string };
        try {
          pending = await client.getSecretValue({ SecretId: secretId, VersionId: token, VersionStage: 'AWSPENDING' });
        } catch (error) {
          // Creating the schedule without rotating (RotateImmediately false), Secrets Manager
          // runs testSecret alone on a pending version that has no value yet: nothing to test.
          if (isNotFound(error)) return;
          throw error;
        }
        parseValues(pending.SecretString);
        return;
      }
      case 'finishSecret': {
        const currentVersion = Object.entries(meta.VersionIdsToStages ?? {}).find(([, s]) => s.includes('AWSCURRENT'))?.[0];
        if (currentVersion === token) return;
        await client.updateSecretVersionStage({ SecretId: secretId, VersionStage: 'AWSCURRENT', MoveToVersionId: token, RemoveFromVersionId: currentVersion });
        return;
      }
      default:
        throw new Error(`unknown rotation step ${String(step)}`);
    }
  };
}

/**
 * Initialization on stack create/update: gives the secret all three generations (CloudFormation
 * can generate only one key). Idempotent: a secret that already has them is left alone. Delete
 * is a no-op (the secret's own removal policy decides).
 */
export function createInitializeHandler(client: SecretsClient) {
  return async (event: InitializeEvent): Promise<InitializeResult> => {
    const secretId = event.ResourceProperties.SecretId;
    const physicalId = event.PhysicalResourceId ?? `${secretId}-initialized`;
    if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalId };
    const current = await client.getSecretValue({ SecretId: secretId, VersionStage: 'AWSCURRENT' });
    try {
      parseValues(current.SecretString);
      return { PhysicalResourceId: physicalId };
    } catch {
      // not initialized yet
    }
    const values: OriginVerifyValues = { previous: await randomValue(client), current: await randomValue(client), next: await randomValue(client) };
    await client.putSecretValue({ SecretId: secretId, SecretString: JSON.stringify(values) });
    return { PhysicalResourceId: physicalId };
  };
}

/** Routes an event to rotation (Secrets Manager) or initialization (CloudFormation). */
export function createHandler(client: SecretsClient) {
  const rotate = createRotationHandler(client);
  const initialize = createInitializeHandler(client);
  return async (event: RotationEvent | InitializeEvent): Promise<InitializeResult | void> => {
    if ('Step' in event) return rotate(event);
    if ('RequestType' in event) return initialize(event);
    throw new Error('unknown event: expected a Secrets Manager rotation step or a CloudFormation request');
  };
}

let configured: ((event: RotationEvent | InitializeEvent) => Promise<InitializeResult | void>) | undefined;
export const handler = async (event: RotationEvent | InitializeEvent): Promise<InitializeResult | void> => {
  if (!configured) {
    // The Lambda Node.js runtime provides the AWS SDK (the bundle keeps it external); it is not a
    // dependency of this package, hence the untyped require against the small interface above.
    // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
    const sdk = require('@aws-sdk/client-secrets-manager') as { SecretsManager: new (config: object) => SecretsClient };
    configured = createHandler(new sdk.SecretsManager({}));
  }
  return configured(event);
};
