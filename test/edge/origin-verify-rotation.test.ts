import {
  createHandler, createInitializeHandler, createRotationHandler, OriginVerifyValues, parseValues, SecretsClient,
} from '../../src/edge/origin-verify-rotation.lambda';

const A = 'A'.repeat(64);
const B = 'B'.repeat(64);
const C = 'C'.repeat(64);
const SECRET = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:Stage/origin-verify-AbCdEf';

/**
 * An in-memory Secrets Manager (versions with staging labels): what the handler sees of the
 * service. `@aws-sdk/client-secrets-manager` is not installed, so aws-sdk-client-mock cannot
 * stand in for it; the handler is written against the small `SecretsClient` interface.
 */
class FakeSecrets implements SecretsClient {
  public readonly versions = new Map<string, { value?: string; stages: string[] }>();
  public readonly puts: Array<{ token?: string; stages?: string[]; value: string }> = [];
  private random = 0;

  constructor(current: string, public rotationEnabled = true) {
    this.versions.set('v1', { value: current, stages: ['AWSCURRENT'] });
  }

  /** What Secrets Manager does before it calls createSecret: a pending version without a value. */
  public startRotation(token: string): void {
    this.versions.set(token, { stages: ['AWSPENDING'] });
  }

  public current(): OriginVerifyValues {
    return JSON.parse([...this.versions.values()].find((v) => v.stages.includes('AWSCURRENT'))!.value!);
  }

  public async describeSecret() {
    return { RotationEnabled: this.rotationEnabled, VersionIdsToStages: Object.fromEntries([...this.versions].map(([id, v]) => [id, v.stages])) };
  }

  public async getSecretValue(input: { SecretId: string; VersionId?: string; VersionStage?: string }) {
    const entry = input.VersionId
      ? this.versions.get(input.VersionId)
      : [...this.versions.values()].find((v) => v.stages.includes(input.VersionStage!));
    if (!entry?.value || (input.VersionStage && !entry.stages.includes(input.VersionStage))) {
      throw Object.assign(new Error('not found'), { name: 'ResourceNotFoundException' });
    }
    return { SecretString: entry.value };
  }

  public async putSecretValue(input: { SecretId: string; SecretString: string; ClientRequestToken?: string; VersionStages?: string[] }) {
    this.puts.push({ token: input.ClientRequestToken, stages: input.VersionStages, value: input.SecretString });
    const id = input.ClientRequestToken ?? `v${this.versions.size + 1}`;
    const stages = input.VersionStages ?? ['AWSCURRENT'];
    if (stages.includes('AWSCURRENT')) for (const v of this.versions.values()) v.stages = v.stages.filter((s) => s !== 'AWSCURRENT');
    this.versions.set(id, { value: input.SecretString, stages });
    return {};
  }

  public async updateSecretVersionStage(input: { SecretId: string; VersionStage: string; MoveToVersionId?: string; RemoveFromVersionId?: string }) {
    const from = this.versions.get(input.RemoveFromVersionId!)!;
    from.stages = [...from.stages.filter((s) => s !== input.VersionStage), 'AWSPREVIOUS'];
    const to = this.versions.get(input.MoveToVersionId!)!;
    to.stages = [...to.stages.filter((s) => s !== 'AWSPENDING'), input.VersionStage];
    return {};
  }

  public async getRandomPassword(input: { PasswordLength: number; ExcludePunctuation: boolean }) {
    expect(input).toMatchObject({ PasswordLength: 64, ExcludePunctuation: true, IncludeSpace: false });
    this.random++;
    return { RandomPassword: String.fromCharCode(96 + this.random).repeat(64) };
  }
}

async function rotate(fake: FakeSecrets, token: string): Promise<void> {
  const handler = createRotationHandler(fake);
  fake.startRotation(token);
  for (const Step of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) {
    await handler({ SecretId: SECRET, ClientRequestToken: token, Step });
  }
}

describe('origin-verify rotation handler', () => {
  test('GIVEN an initialized secret WHEN rotated THEN previous ← current ← next and next is new, and the new version becomes AWSCURRENT', async () => {
    // GIVEN
    const fake = new FakeSecrets(JSON.stringify({ previous: A, current: B, next: C }));
    // WHEN
    await rotate(fake, 't1');
    // THEN
    expect(fake.current()).toEqual({ previous: B, current: C, next: 'a'.repeat(64) });
    expect(fake.versions.get('t1')!.stages).toEqual(['AWSCURRENT']);
    expect(fake.versions.get('v1')!.stages).toEqual(['AWSPREVIOUS']);
    expect(fake.puts).toEqual([expect.objectContaining({ token: 't1', stages: ['AWSPENDING'] })]);
  });

  test('GIVEN two rotations WHEN done THEN each shifts by one generation', async () => {
    const fake = new FakeSecrets(JSON.stringify({ previous: A, current: B, next: C }));
    await rotate(fake, 't1');
    await rotate(fake, 't2');
    expect(fake.current()).toEqual({ previous: C, current: 'a'.repeat(64), next: 'b'.repeat(64) });
  });

  test('GIVEN a retried createSecret WHEN the pending value exists THEN writes nothing again', async () => {
    const fake = new FakeSecrets(JSON.stringify({ previous: A, current: B, next: C }));
    const handler = createRotationHandler(fake);
    fake.startRotation('t1');
    await handler({ SecretId: SECRET, ClientRequestToken: 't1', Step: 'createSecret' });
    await handler({ SecretId: SECRET, ClientRequestToken: 't1', Step: 'createSecret' });
    expect(fake.puts).toHaveLength(1);
  });

  test('GIVEN the secret as CloudFormation created it (current only) WHEN rotated THEN keeps current as previous and fills the rest', async () => {
    const fake = new FakeSecrets(JSON.stringify({ current: A }));
    await rotate(fake, 't1');
    expect(fake.current()).toEqual({ previous: A, current: 'a'.repeat(64), next: 'b'.repeat(64) });
  });

  test('GIVEN rotation disabled WHEN invoked THEN throws', async () => {
    const fake = new FakeSecrets(JSON.stringify({ previous: A, current: B, next: C }), false);
    fake.startRotation('t1');
    await expect(createRotationHandler(fake)({ SecretId: SECRET, ClientRequestToken: 't1', Step: 'createSecret' })).rejects.toThrow(/does not have rotation enabled/);
  });

  test('GIVEN a schedule created without rotating WHEN Secrets Manager runs testSecret on a pending version without a value THEN it succeeds', async () => {
    const fake = new FakeSecrets(JSON.stringify({ previous: A, current: B, next: C }));
    fake.startRotation('t0');
    await expect(createRotationHandler(fake)({ SecretId: SECRET, ClientRequestToken: 't0', Step: 'testSecret' })).resolves.toBeUndefined();
    expect(fake.current()).toEqual({ previous: A, current: B, next: C });
  });

  test('GIVEN an unknown token WHEN invoked THEN throws', async () => {
    const fake = new FakeSecrets(JSON.stringify({ previous: A, current: B, next: C }));
    await expect(createRotationHandler(fake)({ SecretId: SECRET, ClientRequestToken: 'nope', Step: 'createSecret' })).rejects.toThrow(/has no version nope/);
  });

  test('GIVEN a malformed pending value WHEN tested THEN testSecret fails without printing the values', async () => {
    const fake = new FakeSecrets(JSON.stringify({ previous: A, current: B, next: C }));
    fake.versions.set('t1', { value: JSON.stringify({ previous: A, current: 'short', next: C }), stages: ['AWSPENDING'] });
    const run = createRotationHandler(fake)({ SecretId: SECRET, ClientRequestToken: 't1', Step: 'testSecret' });
    await expect(run).rejects.toThrow(/'current' must be 32–128 letters and digits/);
    await expect(run).rejects.not.toThrow(new RegExp(A));
  });

  test('GIVEN a version that is already current WHEN finishSecret runs again THEN changes nothing', async () => {
    const fake = new FakeSecrets(JSON.stringify({ previous: A, current: B, next: C }));
    await rotate(fake, 't1');
    const before = JSON.stringify([...fake.versions]);
    await createRotationHandler(fake)({ SecretId: SECRET, ClientRequestToken: 't1', Step: 'finishSecret' });
    expect(JSON.stringify([...fake.versions])).toBe(before);
  });
});

describe('origin-verify initialization handler', () => {
  test('GIVEN the secret as CloudFormation created it WHEN the stack is created THEN writes three generated generations as AWSCURRENT', async () => {
    const fake = new FakeSecrets(JSON.stringify({ current: A }));
    const out = await createInitializeHandler(fake)({ RequestType: 'Create', ResourceProperties: { SecretId: SECRET } });
    expect(out.PhysicalResourceId).toBe(`${SECRET}-initialized`);
    expect(parseValues(JSON.stringify(fake.current()))).toEqual({ previous: 'a'.repeat(64), current: 'b'.repeat(64), next: 'c'.repeat(64) });
  });

  test('GIVEN an initialized secret WHEN the stack is updated THEN leaves it alone', async () => {
    const fake = new FakeSecrets(JSON.stringify({ previous: A, current: B, next: C }));
    await createInitializeHandler(fake)({ RequestType: 'Update', PhysicalResourceId: 'p', ResourceProperties: { SecretId: SECRET } });
    expect(fake.puts).toHaveLength(0);
  });

  test('GIVEN a delete WHEN invoked THEN does nothing', async () => {
    const fake = new FakeSecrets('not json');
    const out = await createInitializeHandler(fake)({ RequestType: 'Delete', PhysicalResourceId: 'p', ResourceProperties: { SecretId: SECRET } });
    expect(out).toEqual({ PhysicalResourceId: 'p' });
    expect(fake.puts).toHaveLength(0);
  });
});

describe('origin-verify handler routing', () => {
  test('GIVEN a rotation step or a CloudFormation request WHEN dispatched THEN the matching handler runs; anything else throws', async () => {
    const fake = new FakeSecrets(JSON.stringify({ current: A }));
    const handler = createHandler(fake);
    await handler({ RequestType: 'Create', ResourceProperties: { SecretId: SECRET } });
    expect(fake.puts).toHaveLength(1);
    await expect(handler({} as never)).rejects.toThrow(/unknown event/);
  });

  test.each([
    ['not JSON', 'x', /is not JSON/],
    ['a missing key', JSON.stringify({ previous: A, current: B }), /'next' must be 32–128 letters and digits/],
    ['a wildcard', JSON.stringify({ previous: A, current: `${B.slice(1)}*`, next: C }), /'current' must be 32–128 letters and digits/],
  ])('GIVEN %s WHEN parsed THEN throws', (_name, value, message) => {
    expect(() => parseValues(value)).toThrow(message);
  });
});
