import { describe, expect, it } from "vitest";
import { serviceAcceptance } from "../../src/checks/service-acceptance.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  healthyGatewaySnapshot,
  healthyInterfaceSnapshot,
  IDS,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (snapshot: Snapshot) => runCheck(serviceAcceptance, snapshot, new Map());

const SERVICE_ID = "vpce-svc-0123456789abcdef0";
const SERVICE_NAME = `com.amazonaws.vpce.us-east-1.${SERVICE_ID}`;
const PROVIDER = "444455556666";

/** The endpoint connects to a custom endpoint service; `owner` decides whether it is this account's. */
function customService(s: Snapshot, owner: string): void {
  s.endpoint!.serviceName = SERVICE_NAME;
  s.service = {
    ...s.service!,
    name: SERVICE_NAME,
    id: SERVICE_ID,
    owner,
    acceptanceRequired: true,
    privateDnsName: undefined,
    privateDnsNameVerificationState: undefined,
  };
}

/** A custom service owned by the diagnosed account, with its provider-side configuration. */
function sameAccountService(s: Snapshot, allowedPrincipals: string[] = []): void {
  customService(s, IDS.account);
  s.serviceConfiguration = {
    serviceId: SERVICE_ID,
    state: "Available",
    acceptanceRequired: true,
    allowedPrincipals,
    loadBalancerArns: [],
  };
}

describe("service-acceptance", () => {
  it("has the id of its file and a static title", () => {
    expect(serviceAcceptance.id).toBe("service-acceptance");
    expect(serviceAcceptance.title).toBe("The service provider has accepted the endpoint connection");
  });

  describe("passes when", () => {
    it("the endpoint to an AWS service is available", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.summary).toContain("owner amazon");
      expect(outcome.findings).toEqual([]);
    });

    it("a same-account service accepted the endpoint", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          sameAccountService(s, [`arn:aws:iam::${IDS.account}:root`]);
          s.serviceConnection = { state: "available" };
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("111122223333 (prod, this account)");
    });

    it("the state comes capitalised and acceptance is done", () => {
      expect(run(interfaceSnapshot((s) => (s.endpoint!.state = "Available"))).status).toBe("pass");
    });

    it("the endpoint is pending, which comes after acceptance", () => {
      expect(run(interfaceSnapshot((s) => (s.endpoint!.state = "pending"))).status).toBe("pass");
    });

    it("a cross-account service's details could not be read: the endpoint state is enough", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          customService(s, PROVIDER);
          withGap(s, "serviceConfiguration", "ec2:DescribeVpcEndpointServiceConfigurations");
        }),
      );
      expect(outcome.status).toBe("pass");
    });
  });

  describe("fails when", () => {
    it("a cross-account endpoint waits for acceptance: names the owner and the provider's command", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          customService(s, PROVIDER);
          s.endpoint!.state = "pendingAcceptance";
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.summary).toContain(`owner ${PROVIDER}`);
      expect(outcome.summary).toMatch(/only the provider can act/);
      expect(outcome.findings).toHaveLength(1);
      const finding = outcome.findings[0]!;
      expect(finding.severity).toBe("critical");
      expect(finding.evidence).toContain("endpoint state: pendingAcceptance (expected available)");
      expect(finding.evidence).toContain("service AcceptanceRequired: true");
      expect(finding.remediation?.text).toContain(`owner ${PROVIDER}`);
      expect(finding.remediation?.command).toBe(
        `aws ec2 accept-vpc-endpoint-connections --region us-east-1 --service-id ${SERVICE_ID} --vpc-endpoint-ids ${IDS.endpoint}`,
      );
      expect(finding.resourceIds).toEqual([IDS.endpoint, SERVICE_ID]);
    });

    it("the provider rejected the endpoint", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          customService(s, PROVIDER);
          s.endpoint!.state = "Rejected";
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("rejected");
      expect(outcome.summary).toMatch(/only the provider can accept it/);
    });

    it("the owner is unknown: the service name stands in for it", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          customService(s, PROVIDER);
          s.service = null;
          s.endpoint!.state = "pendingAcceptance";
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain(`(owner ${SERVICE_NAME})`);
      // The service id still comes from the service name.
      expect(outcome.findings[0]!.remediation?.command).toContain(`--service-id ${SERVICE_ID}`);
    });

    it("a same-account service waits for acceptance and the account is allowed", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          sameAccountService(s, [`arn:aws:iam::${IDS.account}:root`]);
          s.endpoint!.state = "pendingAcceptance";
          s.serviceConnection = { state: "pendingAcceptance" };
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.findings).toHaveLength(1);
      const evidence = outcome.findings[0]!.evidence;
      expect(evidence).toContain("provider AcceptanceRequired: true");
      expect(evidence).toContain(`allowed principals: arn:aws:iam::${IDS.account}:root`);
      expect(evidence).toContain(
        `consumer arn:aws:iam::${IDS.account}:root: allowed (account root is listed)`,
      );
      expect(outcome.findings[0]!.remediation?.text).toContain("belongs to this account");
      expect(outcome.findings[0]!.remediation?.command).toBe(
        `aws ec2 accept-vpc-endpoint-connections --region us-east-1 --service-id ${SERVICE_ID} --vpc-endpoint-ids ${IDS.endpoint}`,
      );
    });

    it("a same-account service allows everyone (*)", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          sameAccountService(s, ["*"]);
          s.endpoint!.state = "pendingAcceptance";
        }),
      );
      expect(outcome.findings).toHaveLength(1);
      expect(outcome.findings[0]!.evidence.join("\n")).toContain(
        "allowed (the service allows every principal: *)",
      );
    });

    it("a same-account service does not allow the consumer account: adds the permissions command", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          sameAccountService(s, ["arn:aws:iam::999988887777:root"]);
          s.endpoint!.state = "pendingAcceptance";
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.findings).toHaveLength(2);
      expect(outcome.findings[0]!.evidence).toContain(
        `consumer arn:aws:iam::${IDS.account}:root: not allowed`,
      );
      const permissions = outcome.findings[1]!;
      expect(permissions.summary).toContain(`arn:aws:iam::${IDS.account}:root`);
      expect(permissions.summary).toContain(SERVICE_ID);
      expect(permissions.remediation?.command).toBe(
        `aws ec2 modify-vpc-endpoint-service-permissions --region us-east-1 --service-id ${SERVICE_ID} --add-allowed-principals arn:aws:iam::${IDS.account}:root`,
      );
    });

    it("the provider side still shows the connection pending", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          sameAccountService(s, [`arn:aws:iam::${IDS.account}:root`]);
          s.serviceConnection = { state: "pendingAcceptance" };
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.findings[0]!.evidence).toContain("provider-side connection state: pendingAcceptance");
    });

    it("a same-account service's configuration could not be read: still fails, and says why details are missing", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          customService(s, IDS.account);
          s.endpoint!.state = "pendingAcceptance";
          withGap(s, "serviceConfiguration", "ec2:DescribeVpcEndpointServiceConfigurations");
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain(
        "provider-side configuration not read: ec2:DescribeVpcEndpointServiceConfigurations AccessDenied",
      );
    });
  });

  describe("unknown when", () => {
    it("a same-account service's configuration could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          customService(s, IDS.account);
          withGap(s, "serviceConfiguration", "ec2:DescribeVpcEndpointServiceConfigurations");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeVpcEndpointServiceConfigurations denied");
    });

    it("the endpoint could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint = null;
          withGap(s, "endpoint", "ec2:DescribeVpcEndpoints");
        }),
      );
      expect(outcome.status).toBe("unknown");
    });
  });

  describe("skips when", () => {
    it("the endpoint is a gateway endpoint (no acceptance)", () => {
      const outcome = run(healthyGatewaySnapshot());
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toContain(IDS.gatewayEndpoint);
      expect(outcome.summary).toMatch(/gateway/);
    });

    it("the endpoint is deleted: endpoint-state explains it", () => {
      const outcome = run(interfaceSnapshot((s) => (s.endpoint!.state = "deleted")));
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toContain("endpoint-state");
    });

    it("there is no endpoint", () => {
      expect(run(interfaceSnapshot((s) => (s.endpoint = null))).status).toBe("skip");
    });
  });
});
