import { RawFinding, RehearsalInput, RehearsalRule, RehearsalStack } from '../model';
import { dependsOn, label, resolveIn, resources, walk } from '../resolve';
import { normalizeDns, recordSets } from './name-collision';
import { namesSecret, secretRefs } from './secret-refs';

interface Creation {
  readonly stack: RehearsalStack;
  readonly logicalId: string;
}

/**
 * A stack that uses by literal name what another stack creates must deploy after it: in a fresh
 * account, CloudFormation deploys the stacks in the order of their dependencies (and in parallel
 * where there is none), so without a path the user may come first and fail with "not found".
 */
export const UnorderedNameReference: RehearsalRule = {
  id: 'Rehearsal-UnorderedNameReference',
  description: 'A stack refers by literal name to something another stack creates (Route 53 alias target, Aurora global cluster, '
    + 'Secrets Manager secret or replica, SQS queue or SNS topic ARN) without depending on that stack: on a first deploy it may run first and fail.',
  source: 'https://docs.aws.amazon.com/cdk/api/v2/docs/aws-cdk-lib.Stack.html#addwbrdependencytarget-reason',
  check(input: RehearsalInput): RawFinding[] {
    if (!input.fromManifest) return [];
    const { stacks } = input;
    const records = new Map<string, Creation[]>();
    const globals = new Map<string, Creation[]>();
    const secrets: Array<Creation & { account?: string; region?: string; name: string }> = [];
    const arns = new Map<string, Creation[]>();
    const push = <T>(m: Map<string, T[]>, k: string, v: T) => m.set(k, [...(m.get(k) ?? []), v]);
    for (const stack of stacks) {
      for (const [logicalId, r] of resources(stack)) {
        for (const rec of recordSets(stack, logicalId, r)) push(records, `${rec.zone}|${rec.name}`, { stack, logicalId });
        const p = r.Properties ?? {};
        if (r.Type === 'AWS::RDS::GlobalCluster') {
          const id = resolveIn(stack, p.GlobalClusterIdentifier);
          if (id && stack.account) push(globals, `${stack.account}|${id.toLowerCase()}`, { stack, logicalId });
        }
        if (r.Type === 'AWS::SecretsManager::Secret') {
          const name = resolveIn(stack, p.Name);
          if (name) {
            secrets.push({ stack, logicalId, account: stack.account, region: stack.region, name });
            for (const rep of (p.ReplicaRegions as Array<{ Region?: unknown }> | undefined) ?? []) {
              secrets.push({ stack, logicalId, account: stack.account, region: resolveIn(stack, rep.Region), name });
            }
          }
        }
        if ((r.Type === 'AWS::SQS::Queue' || r.Type === 'AWS::SNS::Topic') && stack.account && stack.region) {
          const name = resolveIn(stack, r.Type === 'AWS::SQS::Queue' ? p.QueueName : p.TopicName);
          const service = r.Type === 'AWS::SQS::Queue' ? 'sqs' : 'sns';
          if (name) push(arns, `${service}|${stack.region}|${stack.account}|${name}`, { stack, logicalId });
        }
      }
    }

    const findings: RawFinding[] = [];
    const check = (user: RehearsalStack, logicalId: string, property: string, value: string, what: string, creators: Creation[] | undefined) => {
      if (!creators?.length) return;
      if (creators.some((c) => c.stack.key === user.key || dependsOn(stacks, user, c.stack))) return;
      // Suggest a creator of the same (stage) assembly first.
      const dir = (s: RehearsalStack) => s.key.split('#')[0];
      const sorted = [...creators].sort((a, b) => Number(dir(b.stack) === dir(user)) - Number(dir(a.stack) === dir(user)));
      const names = [...new Set(sorted.map((c) => c.stack.name))];
      findings.push({
        stack: user,
        logicalId,
        property,
        value,
        message: `uses ${what} created by ${creators.map((c) => label(c.stack, c.logicalId)).join(', ')} but does not depend on ${names.length > 1 ? 'any of them' : 'it'}: add a stack dependency (${user.name} → ${names[0]})`,
      });
    };
    for (const stack of stacks) {
      for (const [logicalId, r] of resources(stack)) {
        for (const rec of recordSets(stack, logicalId, r)) {
          if (!rec.aliasDnsName) continue;
          const zone = rec.aliasZone ?? rec.zone;
          check(stack, logicalId, rec.property.replace(/Name$/, 'AliasTarget.DNSName'), rec.aliasDnsName, `the record ${rec.aliasDnsName} (zone ${zone})`, records.get(`${zone}|${normalizeDns(rec.aliasDnsName)}`));
        }
        const p = r.Properties ?? {};
        if (r.Type === 'AWS::RDS::DBCluster') {
          const id = resolveIn(stack, p.GlobalClusterIdentifier);
          if (id && stack.account) check(stack, logicalId, 'Properties.GlobalClusterIdentifier', id, `the global cluster '${id}'`, globals.get(`${stack.account}|${id.toLowerCase()}`));
        }
        for (const ref of secretRefs(stack, logicalId, r.Properties)) {
          const creators = secrets.filter((s) => s.account === ref.account && s.region === ref.region && namesSecret(ref.secret, s.name));
          check(stack, logicalId, ref.property, ref.value, `the secret '${ref.secret}' (${ref.account}/${ref.region})`, creators);
        }
        // IAM policies may name resources that do not exist yet, and a container's environment is
        // only read at run time: neither needs the queue or topic at deploy time.
        if (r.Type.startsWith('AWS::IAM::')) continue;
        walk(r.Properties, 'Properties', (v, path) => {
          if (/PolicyDocument|\.Policies\.|ContainerDefinitions\.\d+\.Environment/.test(path)) return;
          const text = typeof v === 'string' ? v : v && typeof v === 'object' && !Array.isArray(v) && ('Fn::Join' in v || 'Fn::Sub' in v) ? resolveIn(stack, v) : undefined;
          if (!text) return;
          const m = /^arn:[a-z-]+:(sqs|sns):([a-z0-9-]+):(\d+):([A-Za-z0-9_.-]+)$/.exec(text) ?? /^https:\/\/(sqs)\.([a-z0-9-]+)\.amazonaws\.com\/(\d+)\/([A-Za-z0-9_.-]+)$/.exec(text);
          if (m) check(stack, logicalId, path, text, `the ${m[1] === 'sqs' ? 'queue' : 'topic'} '${m[4]}'`, arns.get(`${m[1]}|${m[2]}|${m[3]}|${m[4]}`));
        });
      }
    }
    return findings;
  },
};
