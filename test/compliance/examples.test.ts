import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { buildExamples } from '../../examples/examples';
import { buildWebService } from '../../examples/web-service/build';
import { Compliance, DataRetentionPlugin } from '../../src';
import { AcknowledgementEntry, groupAcknowledgements, isNagRuleId, listAcknowledgements, trackAcknowledgements } from '../../src/compliance/acknowledgements';
import { testApp } from '../util';

/** Every cdk-nag pack the library knows. */
const ALL_NAG_PACKS = Compliance.NAG_PACKS;

/** The examples, each in its own app, synthesized (aspects have run). */
function examples(): App[] {
  const stages = testApp();
  buildExamples(stages);
  const web = testApp();
  buildWebService(web);
  for (const app of [stages, web]) app.synth();
  return [stages, web];
}

/** The IAM statements with `Resource: '*'` of the IAM policies at or under `construct`. */
function starActions(construct: IConstruct): string[] {
  const actions = new Set<string>();
  for (const c of construct.node.findAll()) {
    if (!CfnResource.isCfnResource(c) || !['AWS::IAM::Policy', 'AWS::IAM::Role'].includes(c.cfnResourceType)) continue;
    type Rendered = { Resources: Record<string, { Properties?: Record<string, unknown> }> };
    const rendered: Rendered = Stack.of(c).resolve((c as unknown as { _toCloudFormation(): Rendered })._toCloudFormation());
    const properties = Object.values(rendered.Resources)[0].Properties ?? {};
    const inline = (properties.Policies as Array<{ PolicyDocument: unknown }> | undefined) ?? [];
    type Statement = { Action: string | string[]; Resource?: unknown };
    for (const doc of [properties.PolicyDocument, ...inline.map((p) => p.PolicyDocument)] as Array<{ Statement?: Statement[] } | undefined>) {
      for (const st of doc?.Statement ?? []) {
        const resources = ([] as unknown[]).concat(st.Resource ?? []);
        if (resources.includes('*')) for (const a of ([] as string[]).concat(st.Action)) actions.add(a);
      }
    }
  }
  return [...actions].sort();
}

describe('compliance of the examples', () => {
  const apps = examples();
  const entries: AcknowledgementEntry[] = apps.flatMap((app) => listAcknowledgements(app));

  test('GIVEN every example WHEN listed THEN each acknowledgement is shown with its reason and where it applies (review this list)', () => {
    // One row per (rule, reason), with every construct path it is recorded on: the whole set of
    // findings the library accepts on purpose, in one place.
    const list = groupAcknowledgements(entries).map(({ rule, reason, paths }) => ({ rule, reason, at: paths }));
    expect(list).toMatchSnapshot();
  });

  test('GIVEN every example WHEN all cdk-nag packs run THEN every cdk-nag acknowledgement matches a real finding', () => {
    const unused: string[] = [];
    for (const app of apps) {
      const used = new Set<string>();
      for (const packName of ALL_NAG_PACKS) {
        const pack = Compliance.createPack(packName);
        const use = trackAcknowledgements(pack);
        expect(use).toBeDefined(); // cdk-nag still asks isAcknowledged per finding
        pack.validateScope(app);
        for (const key of use!.keys()) used.add(key);
      }
      for (const e of listAcknowledgements(app)) {
        if (isNagRuleId(e.id) && !used.has(`${e.path}|${e.id}`)) unused.push(`${e.id} @ ${e.path}`);
      }
    }
    expect(unused).toEqual([]);
  });

  test('GIVEN a Resource::* acknowledgement WHEN its policies are read THEN every action on "*" is named in its reason', () => {
    // So that a later statement on '*' is not hidden by an acknowledgement given for another action.
    const problems: string[] = [];
    for (const app of apps) {
      for (const e of listAcknowledgements(app).filter((a) => a.id.endsWith('[Resource::*]'))) {
        const construct = app.node.findAll().find((c) => c.node.path === e.path)!;
        const actions = starActions(construct);
        expect(actions.length).toBeGreaterThan(0);
        for (const action of actions) if (!e.reason.includes(action)) problems.push(`${e.path}: ${action} on '*' is not named in "${e.reason}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  test('GIVEN every example WHEN checked for data retention THEN no stateful resource would be destroyed', () => {
    for (const app of apps) {
      const report = new DataRetentionPlugin(app).validate({} as never);
      expect(report.violations.map((v) => v.violatingResources[0].constructPath)).toEqual([]);
    }
  });

  test('GIVEN every acknowledgement WHEN listed THEN each has a reason of its own (no empty or placeholder reasons)', () => {
    for (const e of entries) expect({ id: e.id, reason: e.reason.length >= 20 }).toEqual({ id: e.id, reason: true });
  });
});
