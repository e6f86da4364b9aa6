import { describe, expect, it } from "vitest";
import { trafficMetrics } from "../../src/checks/traffic-metrics.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  gatewaySnapshot,
  healthyInterfaceSnapshot,
  IDS,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (s: Snapshot) => runCheck(trafficMetrics, s, new Map());

function series(s: Snapshot, name: string) {
  return s.metrics!.find((m) => m.name === name)!;
}

describe("traffic-metrics", () => {
  describe("passes when", () => {
    it("bytes and connections arrive with no drops and no resets", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      // 60 minutes x 52,000 bytes = 3,120,000 bytes; 60 x 12 new connections.
      expect(outcome.summary).toBe(
        `${IDS.endpoint} processed 2.98 MiB over 720 new connections in the last 1 h, with no packets dropped and no resets received`,
      );
      expect(outcome.findings).toEqual([]);
    });

    it("only some minutes have data (missing minutes are no data, not a failure)", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          series(s, "BytesProcessed").datapoints = series(s, "BytesProcessed").datapoints.slice(0, 2);
          series(s, "NewConnections").datapoints = [];
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("101.56 KiB over 0 new connections");
    });
  });

  describe("warns, without failing, when", () => {
    it("BytesProcessed and NewConnections have no datapoints in the window", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          series(s, "BytesProcessed").datapoints = [];
          series(s, "NewConnections").datapoints = [];
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toBe(
        `no traffic reached ${IDS.endpoint} in the last 1 h: clients are idle or not reaching it`,
      );
      const finding = outcome.findings[0]!;
      const evidence = finding.evidence.join("\n");
      expect(evidence).toContain("BytesProcessed: no datapoints (no data");
      expect(evidence).toContain("NewConnections: no datapoints");
      expect(evidence).toContain("endpoint addresses: 10.0.1.10, 10.0.2.10");
      expect(finding.remediation!.text).toContain("DNS");
      expect(finding.remediation!.text).toContain("step 7");
      expect(finding.remediation!.text).toContain("dig +short ssm.us-east-1.amazonaws.com");
      expect(finding.remediation!.command).toContain(`--region us-east-1 --vpc-endpoint-ids ${IDS.endpoint}`);
      expect(finding.resourceIds).toEqual([IDS.endpoint]);
    });

    it("the metrics list is empty: every metric is no data", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.metrics = [];
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain(IDS.endpoint);
    });

    it("the datapoints are present but all zero", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          for (const p of series(s, "BytesProcessed").datapoints) p.value = 0;
          for (const p of series(s, "NewConnections").datapoints) p.value = 0;
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain(
        "BytesProcessed: 60 datapoint(s), total 0 B",
      );
    });
  });

  describe("warns when", () => {
    it("packets were dropped: names the total and the last minute", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          const points = series(s, "PacketsDropped").datapoints;
          points[10]!.value = 5;
          points[40]!.value = 7;
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toBe(
        `${IDS.endpoint} dropped 12 packets in the last 1 h, last at 2026-11-23T11:40:00.000Z`,
      );
      const finding = outcome.findings[0]!;
      expect(finding.evidence[0]).toContain("total 12, peak 7");
      expect(finding.remediation!.text).toContain("8,500 bytes");
      expect(finding.remediation!.command).toContain("--metric-name PacketsDropped");
      expect(finding.remediation!.command).toContain(`'Name=VPC Endpoint Id,Value=${IDS.endpoint}'`);
      expect(finding.remediation!.command).toContain("--region us-east-1");
    });

    it("the service sent resets", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          series(s, "RstPacketsReceived").datapoints[59]!.value = 3;
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain(`${IDS.endpoint} received 3 TCP resets`);
      expect(outcome.summary).toContain("last at 2026-11-23T11:59:00.000Z");
      expect(outcome.findings[0]!.remediation!.text).toContain("listener");
      expect(outcome.findings[0]!.remediation!.text).toContain("healthy targets");
    });

    it("the service sent resets and its NLB is known: the command lists its listeners", () => {
      const nlb = "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/net/svc/0123456789abcdef";
      const outcome = run(
        interfaceSnapshot((s) => {
          series(s, "RstPacketsReceived").datapoints[0]!.value = 1;
          s.serviceConfiguration = { serviceId: "vpce-svc-0123", loadBalancerArns: [nlb] };
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws elbv2 describe-listeners --region us-east-1 --load-balancer-arn ${nlb}`,
      );
    });
  });

  describe("unknown when", () => {
    it("CloudWatch metrics could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          delete s.metrics;
          withGap(s, "metrics", "cloudwatch:GetMetricData");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("cloudwatch:GetMetricData");
    });

    it("metrics were not collected and no gap explains it", () => {
      expect(run(interfaceSnapshot((s) => void delete s.metrics)).status).toBe("unknown");
    });
  });

  describe("skips when", () => {
    it("the endpoint is a gateway endpoint (no metrics)", () => {
      const outcome = run(gatewaySnapshot());
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toContain(IDS.gatewayEndpoint);
    });

    it("there is no endpoint", () => {
      expect(
        run(
          interfaceSnapshot((s) => {
            s.endpoint = null;
          }),
        ).status,
      ).toBe("skip");
    });
  });
});
