import { describe, expect, it } from "vitest";
import { serviceHealth } from "../../src/checks/service-health.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { HealthEvent, Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  healthyGatewaySnapshot,
  healthyInterfaceSnapshot,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (snapshot: Snapshot) => runCheck(serviceHealth, snapshot, new Map());

const ARN = "arn:aws:health:us-east-1::event/EC2/AWS_EC2_OPERATIONAL_ISSUE/AWS_EC2_OPERATIONAL_ISSUE_ABC123";

function event(overrides: Partial<HealthEvent> = {}): HealthEvent {
  return {
    arn: ARN,
    service: "EC2",
    eventTypeCode: "AWS_EC2_OPERATIONAL_ISSUE",
    statusCode: "open",
    region: "us-east-1",
    startTime: "2026-11-23T11:20:00.000Z",
    lastUpdatedTime: "2026-11-23T11:50:00.000Z",
    ...overrides,
  };
}

const withEvents = (...events: HealthEvent[]) =>
  interfaceSnapshot((s) => {
    s.health = { status: "ok", events };
  });

describe("service-health", () => {
  it("has the id of its file and a static title", () => {
    expect(serviceHealth.id).toBe("service-health");
    expect(serviceHealth.title).toBe("AWS reports no open EC2, VPC or PrivateLink issue in this region");
  });

  describe("passes when", () => {
    it("AWS Health reports no events", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe("AWS Health reports no open EC2, VPC or PrivateLink event in us-east-1");
      expect(outcome.findings).toEqual([]);
      expect(run(healthyGatewaySnapshot()).status).toBe("pass");
    });

    it("the open event is in another region", () => {
      expect(run(withEvents(event({ region: "eu-west-1" }))).status).toBe("pass");
    });

    it("the open event is for an unrelated service", () => {
      expect(
        run(withEvents(event({ service: "RDS", eventTypeCode: "AWS_RDS_OPERATIONAL_ISSUE" }))).status,
      ).toBe("pass");
    });

    it("an event closed within the window, reported as info", () => {
      const outcome = run(
        withEvents(event({ statusCode: "closed", endTime: "2026-11-23T11:40:00.000Z", service: "VPC" })),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("1 closed during the window");
      expect(outcome.findings).toHaveLength(1);
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.summary).toContain("closed at 2026-11-23T11:40:00.000Z");
    });

    it("an event closed before the window is ignored", () => {
      const outcome = run(withEvents(event({ statusCode: "closed", endTime: "2026-11-22T09:00:00.000Z" })));
      expect(outcome.status).toBe("pass");
      expect(outcome.findings).toEqual([]);
    });
  });

  describe("fails when", () => {
    it("an EC2 event is open in the region, with the Health command for its ARN", () => {
      const outcome = run(withEvents(event()));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        "AWS Health reports an open EC2 issue in us-east-1: AWS_EC2_OPERATIONAL_ISSUE since 2026-11-23T11:20:00.000Z",
      );
      const finding = outcome.findings[0]!;
      expect(finding.severity).toBe("high");
      expect(finding.evidence).toContain(`event ${ARN}`);
      expect(finding.resourceIds).toEqual([ARN]);
      expect(finding.remediation?.command).toBe(
        `aws health describe-event-details --region us-east-1 --event-arns ${ARN}`,
      );
      expect(finding.remediation?.docs).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
    });

    it("service and status codes come in other cases (privatelink, OPEN)", () => {
      const outcome = run(withEvents(event({ service: "privatelink", statusCode: "OPEN" })));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("privatelink");
    });

    it("a global VPC event (no region) is open", () => {
      const outcome = run(withEvents(event({ service: "VPC", region: undefined })));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("all regions (global)");
    });

    it("one event is open and another upcoming: the open one names the verdict", () => {
      const outcome = run(
        withEvents(
          event({ statusCode: "upcoming", eventTypeCode: "AWS_VPC_PLANNED_LIFECYCLE_EVENT", service: "VPC" }),
          event(),
        ),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("AWS_EC2_OPERATIONAL_ISSUE");
      expect(outcome.findings.map((f) => f.severity)).toEqual(["high", "medium"]);
    });

    it("uses the partition's Health region in China", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.region = "cn-north-1";
          s.health = { status: "ok", events: [event({ region: "cn-north-1" })] };
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.findings[0]!.remediation?.command).toContain("--region cn-northwest-1");
    });
  });

  describe("warns when", () => {
    it("an event is upcoming", () => {
      const outcome = run(
        withEvents(
          event({
            statusCode: "upcoming",
            service: "VPC",
            eventTypeCode: "AWS_VPC_PLANNED_LIFECYCLE_EVENT",
            startTime: "2026-11-30T00:00:00.000Z",
          }),
        ),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("AWS_VPC_PLANNED_LIFECYCLE_EVENT");
      expect(outcome.summary).toContain("us-east-1");
      expect(outcome.findings[0]!.severity).toBe("medium");
    });
  });

  describe("unknown when", () => {
    it("the Health API call failed", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.health = undefined;
          withGap(s, "health", "health:DescribeEvents");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("health:DescribeEvents denied");
    });

    it("health was not collected at all", () => {
      expect(run(interfaceSnapshot((s) => (s.health = undefined))).status).toBe("unknown");
    });
  });

  describe("skips when", () => {
    it("the account has no support plan that includes the Health API", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.health = { status: "subscription-required", message: "SubscriptionRequiredException" };
        }),
      );
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toContain(
        "the AWS Health API needs a Business, Enterprise On-Ramp or Enterprise Support plan",
      );
      expect(outcome.summary).toContain("https://health.aws.amazon.com/health/status");
    });
  });

  it("runs without an endpoint (service health does not depend on it)", () => {
    const outcome = run(interfaceSnapshot((s) => (s.endpoint = null)));
    expect(outcome.status).toBe("pass");
  });
});
