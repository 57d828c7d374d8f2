import { runReview } from './run-review';

/**
 * Options of `ChangeReview.run()`.
 */
export interface ChangeReviewOptions {
  /** The base side: a cloud assembly directory or a folder of templates. */
  readonly base: string;
  /** The head side. */
  readonly head: string;
  /**
   * Output format: 'markdown' or 'json'.
   *
   * @default 'markdown'
   */
  readonly format?: string;
  /**
   * 'risk' makes the exit code 1 when a risk is not acknowledged; 'never' keeps it 0.
   *
   * @default 'never'
   */
  readonly failOn?: string;
  /**
   * A JSON allowlist `{ "acknowledgements": [{ "stack", "logicalId", "reason" }] }`.
   *
   * @default - none
   */
  readonly acknowledgementsFile?: string;
  /**
   * A PR body whose `review-ack: <stack>/<logicalId> <reason>` lines acknowledge risks.
   *
   * @default - none
   */
  readonly prBodyFile?: string;
  /**
   * cdk-nag packs to run on both sides' templates for the compliance delta (e.g. `['AwsSolutions']`):
   * new findings and new acknowledgements with their reasons.
   *
   * @default - the findings of the assemblies' validation reports
   */
  readonly packs?: string[];
  /**
   * Writes the full report to this file instead of returning it in `report`.
   *
   * @default - not written
   */
  readonly outputFile?: string;
  /**
   * Writes the report cut to 60,000 characters (a PR comment), pointing to `outputFile`.
   *
   * @default - not written
   */
  readonly commentFile?: string;
}

/**
 * The result of a review.
 */
export interface ChangeReviewResult {
  /** 0 fine, 1 unacknowledged risks with failOn 'risk', 2 bad input. */
  readonly exitCode: number;
  /** The report (Markdown or JSON), cut to 60,000 characters; empty when written to a file. */
  readonly report: string;
  /** Risks without an acknowledgement. */
  readonly unacknowledgedRisks: number;
  /** Error text for bad input. */
  readonly error: string;
}

/**
 * What a change to synthesized CloudFormation will do, for a pull-request comment: resources
 * added, removed, modified (with replacement impact and old → new values), risks grouped by
 * severity (data loss, renames that replace stateful resources, widened security boundaries: WAF,
 * security groups, IAM judged by what it widens), the compliance delta, the head's deploy
 * rehearsal, information that widens nothing, and a Mermaid diagram of the head's wiring. The same as the
 * `cdk-scaleout review` command; works offline on two cloud assemblies or template folders.
 */
export class ChangeReview {
  /** Runs the review. */
  public static run(options: ChangeReviewOptions): ChangeReviewResult {
    const args = ['--base', options.base, '--head', options.head, '--format', options.format ?? 'markdown', '--fail-on', options.failOn ?? 'never'];
    if (options.acknowledgementsFile) args.push('--acknowledgements', options.acknowledgementsFile);
    if (options.prBodyFile) args.push('--pr-body', options.prBodyFile);
    if (options.packs?.length) args.push('--packs', options.packs.join(','));
    if (options.outputFile) args.push('--output', options.outputFile);
    if (options.commentFile) args.push('--comment', options.commentFile);
    let out = '';
    let err = '';
    const result = runReview(args, { stdout: (t) => { out += t; }, stderr: (t) => { err += t; } });
    return {
      exitCode: result.exitCode,
      report: out,
      unacknowledgedRisks: result.outcome ? result.outcome.risks.filter((r) => !r.acknowledged).length : 0,
      error: err,
    };
  }

  private constructor() {}
}
