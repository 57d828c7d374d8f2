import { ScaleoutStageProps } from '../../src';
import { IMAGE } from '../service/fixtures';
import { TEST_ACCOUNT } from '../util';

/** The smallest stage spec: one service in one region of the example zone. */
export const STAGE_BASE: ScaleoutStageProps = {
  account: TEST_ACCOUNT,
  hostedZoneId: 'Z0123456789EXAMPLE',
  zoneName: 'example.com',
  regions: ['eu-west-1'],
  services: [{ name: 'Web', image: IMAGE }],
};
