import { describe, expect, it } from "vitest";
import { createPrometheusMetrics, NO_METRICS } from "../../src/observe/metrics.js";

describe("createPrometheusMetrics", () => {
  it("renders every recorder's samples under the vpce_doctor_ prefix", async () => {
    const metrics = createPrometheusMetrics();
    metrics.diagnosis("alarm", "broken", 1.5);
    metrics.awsCall("ec2:DescribeSubnets");
    metrics.awsCall("ec2:DescribeSubnets", "Throttling");
    metrics.slackError("chat.update", "message_not_found");
    metrics.alarmReceived("sqs");
    metrics.alarmDeduplicated("sqs");
    metrics.alarmRefused("sqs", "topic");
    const text = await metrics.render();
    for (const line of [
      'vpce_doctor_diagnoses_total{trigger="alarm",verdict="broken"} 1',
      'vpce_doctor_diagnosis_duration_seconds_bucket{le="2",trigger="alarm"} 1',
      'vpce_doctor_diagnosis_duration_seconds_bucket{le="1",trigger="alarm"} 0',
      'vpce_doctor_aws_calls_total{api="ec2:DescribeSubnets"} 2',
      'vpce_doctor_aws_errors_total{api="ec2:DescribeSubnets",error="Throttling"} 1',
      'vpce_doctor_slack_api_errors_total{method="chat.update",error="message_not_found"} 1',
      'vpce_doctor_alarms_received_total{source="sqs"} 1',
      'vpce_doctor_alarms_deduplicated_total{source="sqs"} 1',
      'vpce_doctor_alarms_refused_total{source="sqs",reason="topic"} 1',
    ]) {
      expect(text.split("\n")).toContain(line);
    }
  });

  it("reads queue depths when scraped, not when registered", async () => {
    const metrics = createPrometheusMetrics();
    let depth = 0;
    metrics.queueDepth("diagnoses", () => depth);
    depth = 7;
    expect(await metrics.render()).toContain('vpce_doctor_queue_depth{queue="diagnoses"} 7');
  });

  it("keeps each instance's registry apart, so two bots in one process do not mix counts", async () => {
    const a = createPrometheusMetrics();
    const b = createPrometheusMetrics();
    a.alarmReceived("sns");
    expect(await b.render()).not.toContain('vpce_doctor_alarms_received_total{source="sns"} 1');
  });

  it("has a do-nothing twin for callers that do not export metrics", () => {
    expect(() => NO_METRICS.diagnosis("command", "healthy", 0.1)).not.toThrow();
  });
});
