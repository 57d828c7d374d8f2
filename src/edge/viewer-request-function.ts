import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import { Construct } from 'constructs';
import { Validator } from '../private/validation';

/** CloudFront Functions: at most 10 KB of code. */
export const MAX_CLOUDFRONT_FUNCTION_BYTES = 10 * 1024;
/** Tracking parameters dropped from the cache key by default. */
export const DEFAULT_DROPPED_QUERY_PARAMS = ['utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content', 'fbclid', 'gclid', 'msclkid'];

/**
 * URL normalization, for a better cache hit rate.
 */
export interface UrlNormalization {
  /**
   * Lowercase the path (only for origins whose paths are case-insensitive).
   *
   * @default false
   */
  readonly lowercasePath?: boolean;

  /**
   * Remove a trailing '/' (except on '/').
   *
   * @default false
   */
  readonly stripTrailingSlash?: boolean;

  /**
   * Serve `index.html` for paths ending in '/' or without an extension (static sites on S3).
   *
   * @default false
   */
  readonly appendIndexHtml?: boolean;

  /**
   * Query parameters removed (tracking parameters vary the cache key for nothing).
   *
   * @default DEFAULT_DROPPED_QUERY_PARAMS
   */
  readonly dropQueryParams?: string[];
}

/**
 * Properties of a `ViewerRequestFunction`.
 */
export interface ViewerRequestFunctionProps {
  /**
   * Normalize URLs before the cache lookup.
   *
   * @default - tracking parameters dropped, paths unchanged
   */
  readonly normalize?: UrlNormalization;

  /**
   * Redirects by exact path, e.g. `{ '/old-pricing': '/pricing' }`; targets may be absolute URLs.
   *
   * @default - none
   */
  readonly redirects?: { [fromPath: string]: string };

  /**
   * Redirect status: 301 (permanent) or 302.
   *
   * @default 301
   */
  readonly redirectStatus?: number;
}

/**
 * A CloudFront Function (cloudfront-js-2.0) for cheap viewer-request work: URL normalization
 * (dropped tracking parameters, sorted query string, optional lowercase / trailing slash /
 * index.html) and redirects. Checked against the 10 KB code limit at synth.
 */
export class ViewerRequestFunction extends Construct {
  /** Generates the function's JavaScript (exposed for tests and review). */
  public static renderCode(props: ViewerRequestFunctionProps): string {
    const n = props.normalize ?? {};
    const settings = {
      lowercasePath: n.lowercasePath ?? false,
      stripTrailingSlash: n.stripTrailingSlash ?? false,
      appendIndexHtml: n.appendIndexHtml ?? false,
      drop: n.dropQueryParams ?? DEFAULT_DROPPED_QUERY_PARAMS,
      redirects: props.redirects ?? {},
      status: props.redirectStatus ?? 301,
    };
    return `var S = ${JSON.stringify(settings)};
function handler(event) {
  var r = event.request;
  var target = S.redirects[r.uri];
  if (target !== undefined) {
    return { statusCode: S.status, statusDescription: S.status === 301 ? 'Moved Permanently' : 'Found',
      headers: { location: { value: target }, 'cache-control': { value: 'max-age=3600' } } };
  }
  var uri = r.uri;
  if (S.lowercasePath) uri = uri.toLowerCase();
  if (S.stripTrailingSlash && uri.length > 1 && uri.charAt(uri.length - 1) === '/') uri = uri.slice(0, -1);
  if (S.appendIndexHtml) {
    if (uri.charAt(uri.length - 1) === '/') uri = uri + 'index.html';
    else if (uri.split('/').pop().indexOf('.') === -1) uri = uri + '/index.html';
  }
  r.uri = uri;
  var q = r.querystring, keys = Object.keys(q).sort(), out = {};
  for (var i = 0; i < keys.length; i++) {
    if (S.drop.indexOf(keys[i].toLowerCase()) === -1) out[keys[i]] = q[keys[i]];
  }
  r.querystring = out;
  return r;
}
`;
  }

  /** The CloudFront Function. */
  public readonly function: cloudfront.Function;
  /** The code size in bytes. */
  public readonly codeSize: number;

  constructor(scope: Construct, id: string, props: ViewerRequestFunctionProps = {}) {
    super(scope, id);
    const v = new Validator(this, 'ViewerRequestFunction');
    v.oneOf('redirectStatus', props.redirectStatus, [301, 302]);
    for (const [from, to] of Object.entries(props.redirects ?? {})) {
      v.pattern('redirects (from)', from, /^\/[\x21-\x7e]*$/, "paths starting with '/'");
      v.pattern(`redirects['${from}']`, to, /^(\/|https:\/\/)[\x21-\x7e]*$/, "a path starting with '/' or an https:// URL");
    }
    for (const p of props.normalize?.dropQueryParams ?? []) v.pattern('normalize.dropQueryParams', p, /^[a-z0-9_.-]{1,128}$/, 'lowercase parameter names');
    const code = ViewerRequestFunction.renderCode(props);
    this.codeSize = Buffer.byteLength(code, 'utf-8');
    if (this.codeSize > MAX_CLOUDFRONT_FUNCTION_BYTES) {
      v.fail(`the function code must be at most ${MAX_CLOUDFRONT_FUNCTION_BYTES} bytes (CloudFront Functions limit), got ${this.codeSize} bytes; move redirects to a Lambda@Edge function or the origin`);
    }
    this.function = new cloudfront.Function(this, 'Function', {
      code: cloudfront.FunctionCode.fromInline(code),
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'cdk-scaleout URL normalization and redirects',
    });
  }
}
