import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';

/** Sends alarm and OK notifications of `alarms` to `topic`, when there is one. */
export function notify(alarms: cloudwatch.Alarm[], topic?: sns.ITopic): void {
  if (!topic) return;
  const action = new cwActions.SnsAction(topic);
  for (const alarm of alarms) {
    alarm.addAlarmAction(action);
    alarm.addOkAction(action);
  }
}
