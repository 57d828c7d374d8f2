import { Construct } from 'constructs';
import {
  AbTestEdgeFunction, AbTestEdgeFunctionProps, CustomEdgeFunction, CustomEdgeFunctionProps,
  GeoContentEdgeFunction, GeoContentEdgeFunctionProps, IEdgeLambda, JwtAuthEdgeFunction, JwtAuthEdgeFunctionProps,
} from './edge-functions';

/**
 * Creates a Lambda@Edge function where the stack that uses it wants it: for your own
 * function constructs in a `ScaleoutStage` spec (`EdgeFunctionSpec.fromFactory`).
 */
export interface IEdgeFunctionFactory {
  /**
   * Creates the function under `scope` (in the us-east-1 edge stack) and returns it.
   *
   * @param scope where to create it
   * @param id a construct id unique within `scope`
   */
  create(scope: Construct, id: string): IEdgeLambda;
}

/**
 * A Lambda@Edge function in a declarative spec, created later inside the stack that associates
 * it. A `ScaleoutStage`'s edge stack is made by the stage, so a function made beforehand would
 * live in another stack — or another stage, which CDK rejects (`NoCrossStageDependency`); this
 * describes the function instead and the edge stack creates it in us-east-1.
 *
 * @example
 * edge: { routes: [{ pathPattern: '/account/*', contentClass: ContentClass.PRIVATE,
 *   edgeFunctions: [EdgeFunctionSpec.jwtAuth({ publicKeyPem, algorithm: 'ES256' })] }] }
 */
export abstract class EdgeFunctionSpec {
  /** The library's A/B test function (viewer request). */
  public static abTest(props: AbTestEdgeFunctionProps): EdgeFunctionSpec {
    return new FactorySpec((scope, id) => new AbTestEdgeFunction(scope, id, props));
  }

  /** The library's JWT verification function (viewer request). */
  public static jwtAuth(props: JwtAuthEdgeFunctionProps): EdgeFunctionSpec {
    return new FactorySpec((scope, id) => new JwtAuthEdgeFunction(scope, id, props));
  }

  /** The library's content-by-country function (origin request; set `varyByCountry` on the route). */
  public static geoContent(props: GeoContentEdgeFunctionProps): EdgeFunctionSpec {
    return new FactorySpec((scope, id) => new GeoContentEdgeFunction(scope, id, props));
  }

  /** Your own code, with the library's Lambda@Edge guard rails (`CustomEdgeFunction`). */
  public static fromCode(props: CustomEdgeFunctionProps): EdgeFunctionSpec {
    return new FactorySpec((scope, id) => new CustomEdgeFunction(scope, id, props));
  }

  /** Your own construct, created by `factory` in the edge stack. */
  public static fromFactory(factory: IEdgeFunctionFactory): EdgeFunctionSpec {
    return new FactorySpec((scope, id) => factory.create(scope, id));
  }

  /**
   * Creates the function under `scope` (which must be in us-east-1).
   *
   * @param scope where to create it
   * @param id a construct id unique within `scope`
   */
  public abstract create(scope: Construct, id: string): IEdgeLambda;
}

class FactorySpec extends EdgeFunctionSpec {
  constructor(private readonly factory: (scope: Construct, id: string) => IEdgeLambda) {
    super();
  }

  public create(scope: Construct, id: string): IEdgeLambda {
    return this.factory(scope, id);
  }
}
