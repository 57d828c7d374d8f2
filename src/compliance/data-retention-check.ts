import {
  Annotations, CfnDeletionPolicy, CfnResource, IAspect, IPolicyValidationContext, IPolicyValidationPlugin,
  PolicyValidationPluginReport, PolicyViolation, Stage, Validations,
} from 'aws-cdk-lib';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { trackPlugin } from './summary';
import { STATEFUL_TYPES } from '../review/stateful-types';

const ALLOW_KEY = 'cdk-scaleout:allow-data-deletion';
const KEEPING = new Set([CfnDeletionPolicy.RETAIN, CfnDeletionPolicy.SNAPSHOT, CfnDeletionPolicy.RETAIN_EXCEPT_ON_CREATE]);

/** The rule name of a retention finding in `validation-report.json`. */
const RULE_NAME = 'DataRetention-StatefulResourceDestroyed';

/** Why `resource` would lose its data, or undefined when it keeps it or is opted out. */
function weakRetention(node: IConstruct): string | undefined {
  if (!CfnResource.isCfnResource(node) || !STATEFUL_TYPES.has(node.cfnResourceType)) return undefined;
  // An Aurora cluster's instances hold no data of their own (the cluster volume does, and the
  // cluster carries the retention policy); CloudFormation does not snapshot them.
  if (node instanceof rds.CfnDBInstance && node.dbClusterIdentifier !== undefined) return undefined;
  for (let c: IConstruct | undefined = node; c; c = c.node.scope) {
    if (c.node.metadata.some((m) => m.type === ALLOW_KEY)) return undefined;
  }
  const deletion = node.cfnOptions.deletionPolicy;
  const replace = node.cfnOptions.updateReplacePolicy;
  const weak: string[] = [];
  if (!deletion || !KEEPING.has(deletion)) weak.push(`DeletionPolicy ${deletion ?? 'Delete (default)'}`);
  if (!replace || !KEEPING.has(replace)) weak.push(`UpdateReplacePolicy ${replace ?? 'Delete (default)'}`);
  if (weak.length === 0) return undefined;
  return `DataRetentionCheck: ${node.cfnResourceType} would be destroyed (${weak.join(', ')}); `
    + 'set RemovalPolicy.RETAIN or SNAPSHOT, or opt out with DataRetentionCheck.allowDeletion(construct, reason)';
}

/** The nearest enclosing Stage (App included) of `c`. */
function stageOf(c: IConstruct): Stage | undefined {
  for (let s: IConstruct | undefined = c.node.scope; s; s = s.node.scope) if (Stage.isStage(s)) return s;
  return undefined;
}

/**
 * A validation plugin that reports every stateful resource under a Stage (nested stages
 * included) that would be destroyed on stack deletion or replacement. Registered by
 * `DataRetentionCheck.enable()`, or by the `DataRetentionCheck` aspect for the stages nested in the
 * one it is added to (aspects do not cross a Stage boundary). A finding fails `cdk synth` and
 * `Compliance.synthesize()`; it is reported as `DataRetention-StatefulResourceDestroyed` in
 * `cdk.out/validation-report.json`.
 */
export class DataRetentionPlugin implements IPolicyValidationPlugin {
  /** The plugin's name in the validation report. */
  public readonly name: string = 'DataRetentionCheck';
  /** The plugin's version. */
  public readonly version?: string = '1.0.0';
  /** The rule it evaluates. */
  public readonly ruleIds?: string[] = [RULE_NAME];

  /**
   * @param scope the Stage (or App) whose resources are checked, nested stages included
   * @param nestedOnly check only the resources of stages nested in `scope` (the aspect checks the others)
   */
  constructor(private readonly scope: IConstruct, private readonly nestedOnly: boolean = false) {}

  /** Checks the resources under the scope; the validation context is not needed. */
  public validate(_context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    for (const node of this.scope.node.findAll()) {
      if (this.nestedOnly && stageOf(node) === this.scope) continue;
      const problem = weakRetention(node);
      if (!problem) continue;
      violations.push({
        ruleName: RULE_NAME,
        description: problem,
        severity: 'error',
        violatingResources: [{ constructPath: node.node.path, locations: ['DeletionPolicy', 'UpdateReplacePolicy'] }],
      });
    }
    return { success: violations.length === 0, violations };
  }
}

/** Stages checked whole by a plugin (`enable`), and stages whose nested stages are (the aspect). */
const ENABLED = new WeakSet<IConstruct>();
const NESTED_ENABLED = new WeakSet<IConstruct>();

/** Whether a plugin already checks `node` (its stage or one enclosing it was enabled). */
function coveredByPlugin(node: IConstruct): boolean {
  for (let s = stageOf(node); s; s = stageOf(s)) if (ENABLED.has(s)) return true;
  return false;
}

/**
 * Fails synth when a stateful resource — database, cache, bucket, queue, key, log group, table,
 * secret, file system — would be destroyed on stack deletion or replacement (`DeletionPolicy` /
 * `UpdateReplacePolicy` Delete) without an explicit opt-out (`DataRetentionCheck.allowDeletion(construct, reason)`).
 *
 * Turn it on for a whole app, nested stages included, with `DataRetentionCheck.enable(app)` (a
 * validation plugin: a finding is written to `validation-report.json` and fails
 * `Compliance.synthesize(app)`; end the app with that call, because with nested stages aws-cdk-lib
 * 2.276 under CLI 2.1148.1 records the failure and still exits 0 from a plain `app.synth()`). As an Aspect
 * (`Aspects.of(app).add(new DataRetentionCheck())`) it marks the resources of the stage it is added
 * to with an error annotation and, because aspects do not cross a Stage boundary, registers the
 * plugin for the stages nested in it.
 *
 * @example
 * DataRetentionCheck.enable(app);
 * DataRetentionCheck.allowDeletion(scratchBucket, 'scratch data, rebuilt nightly');
 */
export class DataRetentionCheck implements IAspect {
  /** Opts `construct` and its children out of the check, with a reason kept in the construct metadata. */
  public static allowDeletion(construct: IConstruct, reason: string): void {
    if (!reason.trim()) throw new Error(`DataRetentionCheck.allowDeletion: reason must not be empty for '${construct.node.path}'`);
    construct.node.addMetadata(ALLOW_KEY, reason);
  }

  /**
   * Checks every stack of `scope` (an App or a Stage), nested stages included, at synth.
   * Idempotent.
   */
  public static enable(scope: IConstruct): void {
    if (!Stage.isStage(scope)) {
      throw new Error(`DataRetentionCheck.enable: scope must be an App or a Stage, got '${scope.node.path || scope.constructor.name}'`);
    }
    if (coveredByPlugin(scope) || ENABLED.has(scope)) return;
    ENABLED.add(scope);
    const plugin = new DataRetentionPlugin(scope);
    trackPlugin(scope, plugin);
    Validations.of(scope).addPlugins(plugin);
  }

  public visit(node: IConstruct): void {
    if (Stage.isStage(node)) {
      // The aspect stops at nested stages: a plugin covers them.
      const covered = ENABLED.has(node) || coveredByPlugin(node) || NESTED_ENABLED.has(node);
      if (!covered && node.node.findAll().some((c) => c !== node && Stage.isStage(c))) {
        NESTED_ENABLED.add(node);
        Validations.of(node).addPlugins(new DataRetentionPlugin(node, true));
      }
      return;
    }
    const problem = weakRetention(node);
    if (problem && !coveredByPlugin(node)) Annotations.of(node).addError(problem);
  }
}
