import { format } from 'pretty-format';
import { templateSerializer } from './setup';

describe('snapshot serializer', () => {
  const hash = 'a'.repeat(64);
  const template = {
    Resources: {
      FnCurrentVersion4A2B8C1D0123456789abcdef0123456789abcdef: { Type: 'AWS::Lambda::Version' },
      Fn: { Properties: { Code: { S3Key: `${hash}.zip` } } },
    },
  };

  test('GIVEN a template with an asset hash and a CurrentVersion logical ID WHEN printed THEN both hashes are masked', () => {
    const printed = format(template, { plugins: [templateSerializer] });
    expect(printed).not.toContain(hash);
    expect(printed).not.toContain('0123456789abcdef0123456789abcdef');
    expect(printed).toContain('"FnCurrentVersion4A2B8C1D[HASH]"');
    expect(printed).toContain('"[ASSET-HASH].zip"');
  });

  test('GIVEN an object without Resources WHEN tested THEN the serializer leaves it alone', () => {
    expect(templateSerializer.test({ foo: hash })).toBe(false);
  });
});
