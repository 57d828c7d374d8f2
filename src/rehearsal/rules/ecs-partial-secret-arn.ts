import { RawFinding, RehearsalInput, RehearsalRule, RehearsalStack } from '../model';
import { referencedId, resolveIn, resourcesOfType, show } from '../resolve';

/** Whether `value` contains a Ref / GetAtt of a Secrets Manager secret of the same template (its ARN is complete). */
function refersToLocalSecret(stack: RehearsalStack, value: unknown): boolean {
  const id = referencedId(value);
  if (id && stack.template.Resources?.[id]?.Type === 'AWS::SecretsManager::Secret') return true;
  if (value && typeof value === 'object') return Object.values(value).some((v) => refersToLocalSecret(stack, v));
  return false;
}

/** The secret part of a Secrets Manager ARN lacking the random 6-character suffix, or undefined. */
export function partialSecretPart(arn: string): string | undefined {
  const m = /^arn:[a-z-]+:secretsmanager:[a-z0-9-]*:\d*:secret:([^:]+)/.exec(arn);
  if (!m) return undefined;
  return /-[A-Za-z0-9]{6}$/.test(m[1]) ? undefined : m[1];
}

export const EcsPartialSecretArn: RehearsalRule = {
  id: 'Rehearsal-EcsPartialSecretArn',
  description: 'An ECS task definition names a Secrets Manager secret by an ARN without its random -XXXXXX suffix '
    + '(Secrets[].ValueFrom, LogConfiguration.SecretOptions[].ValueFrom, RepositoryCredentials.CredentialsParameter): ECS needs the complete ARN '
    + '(see aws-cdk issues #18555, #20744); reference the secret by its full ARN (Secret.fromSecretCompleteArn or a secret in the same stack).',
  source: 'https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecs-taskdefinition-secret.html',
  check(input: RehearsalInput): RawFinding[] {
    const findings: RawFinding[] = [];
    for (const [stack, logicalId, r] of resourcesOfType(input, 'AWS::ECS::TaskDefinition')) {
      const containers = (r.Properties?.ContainerDefinitions as Array<Record<string, any>> | undefined) ?? [];
      containers.forEach((c, i) => {
        const refs: Array<[string, unknown]> = [];
        ((c.Secrets ?? []) as Array<{ ValueFrom?: unknown }>).forEach((s, j) => refs.push([`Properties.ContainerDefinitions.${i}.Secrets.${j}.ValueFrom`, s.ValueFrom]));
        ((c.LogConfiguration?.SecretOptions ?? []) as Array<{ ValueFrom?: unknown }>).forEach((s, j) => refs.push([`Properties.ContainerDefinitions.${i}.LogConfiguration.SecretOptions.${j}.ValueFrom`, s.ValueFrom]));
        if (c.RepositoryCredentials?.CredentialsParameter !== undefined) refs.push([`Properties.ContainerDefinitions.${i}.RepositoryCredentials.CredentialsParameter`, c.RepositoryCredentials.CredentialsParameter]);
        for (const [property, value] of refs) {
          if (refersToLocalSecret(stack, value)) continue;
          const arn = resolveIn(stack, value);
          const part = arn === undefined ? undefined : partialSecretPart(arn);
          if (part === undefined) continue;
          findings.push({
            stack,
            logicalId,
            property,
            value: show(arn),
            message: `container ${c.Name ?? i} names the secret '${part}' by a partial ARN (no -XXXXXX suffix): ECS cannot fetch it; use the complete ARN`,
          });
        }
      });
    }
    return findings;
  },
};
