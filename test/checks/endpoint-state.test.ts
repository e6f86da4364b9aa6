import { describe, expect, it } from "vitest";
import { endpointState } from "../../src/checks/endpoint-state.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  gatewaySnapshot,
  healthyGatewaySnapshot,
  healthyInterfaceSnapshot,
  IDS,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (snapshot: Snapshot) => runCheck(endpointState, snapshot, new Map());

const inState = (state: string, mutate: (s: Snapshot) => void = () => {}) =>
  interfaceSnapshot((s) => {
    s.endpoint!.state = state;
    mutate(s);
  });

describe("endpoint-state", () => {
  it("has the id of its file and a static title", () => {
    expect(endpointState.id).toBe("endpoint-state");
    expect(endpointState.title).toBe("The endpoint is available");
  });

  describe("passes when", () => {
    it("the interface endpoint is available", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toBe(`${IDS.endpoint} is available`);
      expect(outcome.findings).toEqual([]);
    });

    it("the gateway endpoint is available", () => {
      expect(run(healthyGatewaySnapshot()).status).toBe("pass");
    });

    it("the state comes capitalised from an SDK enum", () => {
      expect(run(inState("Available")).status).toBe("pass");
    });
  });

  describe("fails when", () => {
    it("the endpoint failed, showing LastError verbatim", () => {
      const outcome = run(
        inState("failed", (s) => {
          s.endpoint!.lastError = {
            code: "Client.InsufficientIpAddresses",
            message: "The subnet subnet-0aaaaaaaaaaaaaaa1 has <1 free address & cannot host the ENI",
          };
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toBe(
        `${IDS.endpoint} is failed: Client.InsufficientIpAddresses: The subnet subnet-0aaaaaaaaaaaaaaa1 has <1 free address & cannot host the ENI`,
      );
      const finding = outcome.findings[0]!;
      expect(finding.severity).toBe("critical");
      expect(finding.evidence).toContain("state: failed (expected available)");
      expect(finding.evidence).toContain(
        "LastError: Client.InsufficientIpAddresses: The subnet subnet-0aaaaaaaaaaaaaaa1 has <1 free address & cannot host the ENI",
      );
      expect(finding.resourceIds).toEqual([IDS.endpoint]);
      expect(finding.remediation?.command).toBe(
        `aws ec2 create-vpc-endpoint --region us-east-1 --vpc-endpoint-type Interface --vpc-id ${IDS.vpc} --service-name com.amazonaws.us-east-1.ssm --subnet-ids ${IDS.subnetA} ${IDS.subnetB} --security-group-ids ${IDS.sgEndpoint} --private-dns-enabled`,
      );
    });

    it("the endpoint failed without a LastError", () => {
      const outcome = run(inState("Failed"));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("no LastError");
    });

    it("the endpoint waits for acceptance: the provider must act, see service-acceptance", () => {
      const outcome = run(inState("pendingAcceptance"));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(`${IDS.endpoint} is pendingAcceptance`);
      expect(outcome.summary).toContain("provider");
      const finding = outcome.findings[0]!;
      expect(finding.severity).toBe("critical");
      expect(finding.remediation?.text).toContain("service-acceptance");
      expect(finding.remediation?.text).toMatch(/provider/);
      expect(finding.remediation?.command).toContain(`--vpc-endpoint-ids ${IDS.endpoint}`);
      expect(finding.remediation?.command).toContain("--region us-east-1");
    });

    it("the provider rejected the endpoint", () => {
      const outcome = run(inState("Rejected"));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("rejected");
      expect(outcome.findings[0]!.severity).toBe("critical");
      expect(outcome.findings[0]!.remediation?.text).toContain("service-acceptance");
    });

    it("the endpoint is still being created: wait a few minutes", () => {
      const outcome = run(inState("pending", (s) => (s.endpoint!.createdAt = "2026-11-23T11:58:00.000Z")));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("still being created");
      const finding = outcome.findings[0]!;
      expect(finding.severity).toBe("critical");
      expect(finding.remediation?.text).toMatch(/wait a few minutes/i);
      expect(finding.evidence).toContain(
        "created at 2026-11-23T11:58:00.000Z (2 minutes before this diagnosis)",
      );
    });

    it("the endpoint has been pending far too long", () => {
      const outcome = run(inState("pending", (s) => (s.endpoint!.createdAt = "2026-11-23T10:00:00.000Z")));
      expect(outcome.findings[0]!.remediation?.text).toContain("pending for 120 minutes");
    });

    it("the endpoint is being deleted: recreate it", () => {
      const outcome = run(inState("deleting"));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("deleting");
      expect(outcome.findings[0]!.severity).toBe("critical");
      expect(outcome.findings[0]!.remediation?.text).toMatch(/recreate/);
      expect(outcome.findings[0]!.remediation?.command).toContain(
        "aws ec2 create-vpc-endpoint --region us-east-1",
      );
    });

    it("the gateway endpoint is deleted: recreate it with its route tables", () => {
      const outcome = run(gatewaySnapshot((s) => (s.endpoint!.state = "deleted")));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(`${IDS.gatewayEndpoint} is deleted`);
      expect(outcome.findings[0]!.remediation?.text).toMatch(/Recreate/);
      expect(outcome.findings[0]!.remediation?.command).toBe(
        `aws ec2 create-vpc-endpoint --region us-east-1 --vpc-endpoint-type Gateway --vpc-id ${IDS.vpc} --service-name com.amazonaws.us-east-1.s3 --route-table-ids ${IDS.rtbMain} ${IDS.rtbPrivate}`,
      );
    });

    it("the acceptance window expired: recreate it", () => {
      const outcome = run(inState("expired"));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toMatch(/acceptance window expired/);
      expect(outcome.findings[0]!.severity).toBe("critical");
      expect(outcome.findings[0]!.remediation?.text).toMatch(/Recreate/);
    });

    it("the endpoint is partial: some subnets failed, naming the subnets without an ENI", () => {
      const outcome = run(
        inState("partial", (s) => {
          s.networkInterfaces = s.networkInterfaces!.filter((eni) => eni.subnetId === IDS.subnetA);
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toMatch(/some of its subnets/);
      const finding = outcome.findings[0]!;
      expect(finding.severity).toBe("high");
      expect(finding.evidence).toContain(`subnets without an endpoint network interface: ${IDS.subnetB}`);
      expect(finding.remediation?.command).toContain(`--vpc-endpoint-ids ${IDS.endpoint}`);
    });

    it("the state is one AWS added later", () => {
      const outcome = run(inState("quarantined"));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("quarantined");
    });
  });

  describe("unknown when", () => {
    it("the endpoint could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint = null;
          withGap(s, "endpoint", "ec2:DescribeVpcEndpoints");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeVpcEndpoints");
    });
  });

  describe("skips when", () => {
    it("there is no endpoint", () => {
      const outcome = run(interfaceSnapshot((s) => (s.endpoint = null)));
      expect(outcome.status).toBe("skip");
    });
  });
});
