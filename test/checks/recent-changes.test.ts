import { describe, expect, it } from "vitest";
import { recentChanges } from "../../src/checks/recent-changes.js";
import type { CheckResult, CheckStatus } from "../../src/diagnosis/check.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { Snapshot, TrailEvent } from "../../src/diagnosis/snapshot.js";
import { healthyInterfaceSnapshot, IDS, interfaceSnapshot, withGap } from "../support/snapshot-factory.js";

const run = (snapshot: Snapshot, earlier: ReadonlyMap<string, CheckResult> = new Map()) =>
  runCheck(recentChanges, snapshot, earlier);

function change(overrides: Partial<TrailEvent> = {}): TrailEvent {
  return {
    eventId: "11111111-2222-3333-4444-555555555555",
    eventName: "RevokeSecurityGroupIngress",
    eventSource: "ec2.amazonaws.com",
    eventTime: "2026-11-23T11:42:00Z",
    username: "alice",
    principalArn: "arn:aws:iam::111122223333:user/alice",
    sourceIp: "203.0.113.7",
    resourceIds: [IDS.sgEndpoint],
    ...overrides,
  };
}

function result(id: string, status: CheckStatus, resourceIds: string[]): CheckResult {
  return {
    id,
    title: id,
    status,
    summary: `${id} ${status}`,
    findings: [{ severity: status === "fail" ? "high" : "medium", summary: "x", evidence: [], resourceIds }],
  };
}

const withChanges = (...changes: TrailEvent[]) =>
  interfaceSnapshot((s) => {
    s.cloudTrail!.changes = changes;
  });

describe("recent-changes", () => {
  it("has the id of its file", () => {
    expect(recentChanges.id).toBe("recent-changes");
  });

  describe("passes when", () => {
    it("nothing changed in the window", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe(
        `no changes to ${IDS.endpoint}, its security groups, NACLs or route tables in the last 1 h`,
      );
    });

    it("nothing changed but the scan was truncated, saying so", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.cloudTrail!.truncated = true;
          s.cloudTrail!.scannedEvents = 5000;
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("the scan read only the newest 5000 events");
    });

    it("changes touch nothing a failing check implicates, listing them newest first", () => {
      const older = change({
        eventId: "e1",
        eventTime: "2026-11-23T11:10:00Z",
        eventName: "ModifyVpcEndpoint",
        resourceIds: [IDS.endpoint],
      });
      const newer = change({ eventId: "e2", eventTime: "2026-11-23T11:50:00Z", username: "bob" });
      const earlier = new Map([["network-acls", result("network-acls", "fail", [IDS.naclMain])]]);
      const outcome = run(withChanges(older, newer), earlier);
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("2 changes");
      expect(outcome.findings.map((f) => f.severity)).toEqual(["info", "info"]);
      expect(outcome.findings[0]!.summary).toBe(
        `bob ran RevokeSecurityGroupIngress on ${IDS.sgEndpoint} at 2026-11-23T11:50:00Z`,
      );
      expect(outcome.findings[1]!.summary).toContain("ModifyVpcEndpoint");
    });

    it("a failing check names the resource but the change itself failed", () => {
      const earlier = new Map([["security-groups", result("security-groups", "fail", [IDS.sgEndpoint])]]);
      const outcome = run(withChanges(change({ errorCode: "UnauthorizedOperation" })), earlier);
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.summary).toContain("failed with UnauthorizedOperation");
    });

    it("lists at most 20 changes, then how many more", () => {
      const many = Array.from({ length: 25 }, (_, i) =>
        change({ eventId: `e${i}`, eventTime: `2026-11-23T11:${String(10 + i).padStart(2, "0")}:00Z` }),
      );
      const outcome = run(withChanges(...many));
      expect(outcome.status).toBe("pass");
      expect(outcome.findings).toHaveLength(21);
      expect(outcome.findings[0]!.summary).toContain("11:34:00Z");
      expect(outcome.findings[20]!.summary).toBe("...and 5 more changes");
    });
  });

  describe("fails when", () => {
    it("a change touched a resource a failing check implicates", () => {
      const earlier = new Map([["security-groups", result("security-groups", "fail", [IDS.sgEndpoint])]]);
      const outcome = run(withChanges(change()), earlier);
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `${IDS.sgEndpoint} was changed by alice at 2026-11-23T11:42:00Z (RevokeSecurityGroupIngress), and security-groups fails on it`,
      );
      const finding = outcome.findings[0]!;
      expect(finding.remediation!.command).toBe(
        `aws cloudtrail lookup-events --region us-east-1 --lookup-attributes AttributeKey=ResourceName,AttributeValue=${IDS.sgEndpoint}`,
      );
      expect(finding.evidence.join("\n")).toContain("203.0.113.7");
      expect(finding.resourceIds).toEqual([IDS.sgEndpoint]);
    });

    it("uses the principal ARN when there is no user name, and matches ids case-insensitively", () => {
      const earlier = new Map([
        ["security-groups", result("security-groups", "fail", [IDS.sgEndpoint.toUpperCase()])],
      ]);
      const outcome = run(withChanges(change({ username: undefined })), earlier);
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("arn:aws:iam::111122223333:user/alice");
    });

    it("puts the correlated change first even when newer changes exist", () => {
      const earlier = new Map([["network-acls", result("network-acls", "fail", [IDS.naclMain])]]);
      const outcome = run(
        withChanges(
          change({ eventId: "new", eventTime: "2026-11-23T11:59:00Z" }),
          change({ eventId: "acl", eventName: "ReplaceNetworkAclEntry", resourceIds: [IDS.naclMain] }),
        ),
        earlier,
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.findings[0]!.summary).toContain(IDS.naclMain);
      expect(outcome.findings[1]!.severity).toBe("info");
    });
  });

  describe("warns when", () => {
    it("a change touched a resource only a warning check implicates", () => {
      const earlier = new Map([["subnet-coverage", result("subnet-coverage", "warn", [IDS.sgEndpoint])]]);
      const outcome = run(withChanges(change()), earlier);
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("subnet-coverage warns on it");
    });
  });

  describe("unknown when", () => {
    it("CloudTrail could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.cloudTrail = undefined;
          withGap(s, "cloudTrail", "cloudtrail:LookupEvents");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("cloudtrail:LookupEvents");
    });
  });

  describe("skips when", () => {
    it("there is no endpoint", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint = null;
        }),
      );
      expect(outcome.status).toBe("skip");
    });
  });
});
