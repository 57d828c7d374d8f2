/**
 * The internal model of the deploy rehearsal: the stacks of a cloud assembly with what a deploy
 * needs to know about them (account, region, dependencies, assets), and the shape of a rule.
 * CDK-free: rules read templates only.
 */

/** A resource of a template, as the rules read it. */
export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
  readonly Metadata?: Record<string, unknown>;
}

/** A CloudFormation template, as the rules read it. */
export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { readonly Value?: unknown; readonly Export?: { readonly Name?: unknown } }>;
  readonly [key: string]: unknown;
}

/** An asset a stack publishes: where its source is on disk. */
export interface StackAsset {
  /** The S3 object key the template's `Code.S3Key` names (e.g. `<hash>.zip`). */
  readonly objectKey: string;
  /** Absolute path of the asset's source (a folder `asset.<hash>` or a file). */
  readonly sourcePath: string;
  /** 'zip' (a folder zipped at publish time) or 'file'. */
  readonly packaging: string;
}

/** One stack of the assembly. */
export interface RehearsalStack {
  /** Unique key within the run: `<assembly dir>#<artifact id>`. */
  readonly key: string;
  /** The artifact id in its manifest.json. */
  readonly artifactId: string;
  /** The CloudFormation stack name. */
  readonly name: string;
  /** Display name (construct path of the stack), when the manifest says. */
  readonly displayName?: string;
  /** Account, undefined when environment-agnostic. */
  readonly account?: string;
  /** Region, undefined when environment-agnostic. */
  readonly region?: string;
  /** Absolute path of the template file. */
  readonly templatePath: string;
  /** The template. */
  readonly template: CfnTemplate;
  /** Keys of the stacks this one depends on directly (from manifest.json `dependencies`). */
  readonly dependencies: readonly string[];
  /** The stack's file assets, keyed by object key. */
  readonly assets: ReadonlyMap<string, StackAsset>;
}

/** What the rules see. */
export interface RehearsalInput {
  readonly stacks: readonly RehearsalStack[];
  /** False for a folder of templates: no manifest, so no dependencies or environments to check order against. */
  readonly fromManifest: boolean;
  /** The account's Lambda concurrency quota, when the app declares it. */
  readonly lambdaConcurrencyQuota?: number;
  /** Raised per-region quotas, when the app declares them. */
  readonly regionalQuotas?: RegionalQuotaValues;
}

/** Per-region quotas of the accounts (internal form of `RegionalQuotas`). */
export interface RegionalQuotaValues {
  readonly vpcs?: number;
  readonly elasticIps?: number;
  readonly defaultVpc?: boolean;
}

/** A finding before it is tied to its rule's id and source. */
export interface RawFinding {
  readonly stack: RehearsalStack;
  readonly logicalId: string;
  /** Property path inside the resource, e.g. `Properties.TopicName` or `Outputs.X.Export.Name`. */
  readonly property: string;
  readonly value: string;
  readonly message: string;
}

/** A rule of the rehearsal. */
export interface RehearsalRule {
  /** e.g. `Rehearsal-NameCollision`. */
  readonly id: string;
  /** What the rule checks. */
  readonly description: string;
  /** The AWS documentation that states the limit. */
  readonly source: string;
  /** Applies the rule. */
  check(input: RehearsalInput): RawFinding[];
}
