import { describe, expect, it } from "vitest";
import { serviceProvider } from "../../src/checks/service-provider.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import { diagnoseSnapshot } from "../../src/diagnosis/run.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  asForeignProvidedService,
  asProvidedService,
  IDS,
  interfaceSnapshot,
  PROVIDER,
  providerNlb,
  withGap,
} from "../support/snapshot-factory.js";

const run = (mutate: (s: Snapshot) => void) => runCheck(serviceProvider, interfaceSnapshot(mutate));
const nlb = (s: Snapshot) => s.loadBalancers![0]!;
const group = (s: Snapshot) => nlb(s).targetGroups![0]!;
const targetB = (s: Snapshot) => group(s).targets![1]!;

describe("service-provider: listeners", () => {
  it("passes when the NLB listens on the listener port with a healthy target in each endpoint AZ", () => {
    const result = run((s) => asProvidedService(s));
    expect(result.status).toBe("pass");
    expect(result.summary).toContain("a listener on tcp/5432");
    expect(result.summary).toContain("db-tg has a healthy target for every endpoint AZ");
  });

  it("keeps the whole diagnosis healthy, with the endpoint's groups judged on the listener port", () => {
    const report = diagnoseSnapshot(interfaceSnapshot((s) => asProvidedService(s)));
    expect(report.verdict.status).toBe("healthy");
    expect(report.checks.find((c) => c.id === "security-groups")?.summary).toContain("tcp/5432");
  });

  it("fails with 'connection refused' when the client's port (--port) has no listener, and the fix adds one", () => {
    const result = run((s) => {
      asProvidedService(s);
      s.portHint = { ports: [6432], origin: "request" };
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toBe(
      "db-nlb has no listener on tcp/6432: connections to the endpoint on 6432 are refused",
    );
    const fix = result.findings[0]!.remediation!;
    expect(fix.command).toBe(
      `aws elbv2 create-listener --region us-east-1 --load-balancer-arn ${PROVIDER.nlb} --protocol TCP --port 6432 --default-actions Type=forward,TargetGroupArn=${PROVIDER.targetGroup}`,
    );
    expect(result.findings[0]!.evidence[0]).toContain("listens on: TCP/5432");
  });

  it("passes when the port named with --port has its listener", () => {
    const result = run((s) => {
      asProvidedService(s);
      s.portHint = { ports: [5432], origin: "request" };
    });
    expect(result.status).toBe("pass");
  });

  it("fails when the NLB has no listener at all (every port is refused)", () => {
    const result = run((s) => asProvidedService(s, { ...providerNlb(), listeners: [] }));
    expect(result.status).toBe("fail");
    expect(result.summary).toBe("db-nlb has no listener at all: every connection to the endpoint is refused");
  });
});

describe("service-provider: healthy targets per endpoint AZ", () => {
  it("fails for the AZ with no healthy target when cross-zone is off, naming the AZ, the group and the ENI", () => {
    const result = run((s) => {
      asProvidedService(s);
      targetB(s).state = "unhealthy";
      targetB(s).reason = "Target.FailedHealthChecks";
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toBe(
      `db-tg has no healthy target in us-east-1b (use1-az2) and cross-zone load balancing is off: clients using the endpoint ENI there (${IDS.eniB}) are refused`,
    );
    const finding = result.findings[0]!;
    expect(finding.evidence).toContain(
      `target ${PROVIDER.targetB}:5432 in us-east-1b (use1-az2): unhealthy (Target.FailedHealthChecks)`,
    );
    expect(finding.remediation!.command).toBe(
      `aws elbv2 modify-target-group-attributes --region us-east-1 --target-group-arn ${PROVIDER.targetGroup} --attributes Key=load_balancing.cross_zone.enabled,Value=true`,
    );
  });

  it("passes, noting the unhealthy target, when cross-zone load balancing is on at the load balancer", () => {
    const result = run((s) => {
      asProvidedService(s);
      targetB(s).state = "unhealthy";
      nlb(s).crossZone = true;
    });
    expect(result.status).toBe("pass");
    expect(result.findings.map((f) => f.severity)).toEqual(["info"]);
    expect(result.findings[0]!.summary).toContain("1 target(s) of db-tg are unhealthy");
  });

  it("passes when the target group turns cross-zone on over the load balancer's off", () => {
    const result = run((s) => {
      asProvidedService(s);
      targetB(s).state = "unhealthy";
      group(s).crossZone = "true";
    });
    expect(result.status).toBe("pass");
  });

  it("fails when the target group turns cross-zone off over the load balancer's on", () => {
    const result = run((s) => {
      asProvidedService(s);
      targetB(s).state = "unhealthy";
      nlb(s).crossZone = true;
      group(s).crossZone = "false";
    });
    expect(result.status).toBe("fail");
  });

  it("fails when no target is healthy at all, and the fix shows why they fail", () => {
    const result = run((s) => {
      asProvidedService(s);
      for (const t of group(s).targets!) t.state = "unhealthy";
      nlb(s).crossZone = true;
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toBe(
      "db-tg has no healthy target: connections through db-nlb are refused or time out",
    );
    expect(result.findings[0]!.remediation!.command).toBe(
      `aws elbv2 describe-target-health --region us-east-1 --target-group-arn ${PROVIDER.targetGroup}`,
    );
  });

  it("compares AZ ids, not names, for a provider in another account", () => {
    const result = run((s) => {
      asForeignProvidedService(s);
      targetB(s).availabilityZone = "us-east-1d";
    });
    expect(result.status).toBe("pass");
  });

  it("warns, not fails, when another account's target AZ cannot be mapped to an id", () => {
    const result = run((s) => {
      asForeignProvidedService(s);
      targetB(s).availabilityZoneId = undefined;
    });
    expect(result.status).toBe("warn");
    expect(result.summary).toContain("could not be proven");
  });

  it("compares AZ names within the same account when ids are missing", () => {
    const result = run((s) => {
      asProvidedService(s);
      for (const t of group(s).targets!) t.availabilityZoneId = undefined;
      for (const subnet of s.subnets!) subnet.availabilityZoneId = undefined;
    });
    expect(result.status).toBe("pass");
  });

  it("warns when the cross-zone setting was not read and an AZ has no healthy target", () => {
    const result = run((s) => {
      asProvidedService(s);
      targetB(s).state = "unhealthy";
      nlb(s).crossZone = undefined;
    });
    expect(result.status).toBe("warn");
  });

  it("is unknown, never a pass on the listener alone, when the target groups could not be read", () => {
    const result = run((s) => {
      asProvidedService(s);
      nlb(s).targetGroups = undefined;
      withGap(s, "loadBalancers", "elasticloadbalancing:DescribeTargetGroups");
    });
    expect(result.status).toBe("unknown");
  });

  it("is unknown when the target health could not be read", () => {
    const result = run((s) => {
      asProvidedService(s);
      group(s).targets = undefined;
      withGap(s, "loadBalancers", "elasticloadbalancing:DescribeTargetHealth");
    });
    expect(result.status).toBe("unknown");
    expect(result.findings[0]!.evidence[0]).toContain("elasticloadbalancing:DescribeTargetHealth denied");
  });
});

describe("service-provider: the NLB's security groups", () => {
  function withNlbGroup(s: Snapshot, fromPort: number, enforce: string | undefined): void {
    asProvidedService(s);
    nlb(s).securityGroupIds = [PROVIDER.nlbGroup];
    nlb(s).enforceSecurityGroupsOnPrivateLink = enforce;
    nlb(s).securityGroups = [
      {
        id: PROVIDER.nlbGroup,
        ingress: [{ protocol: "tcp", fromPort, toPort: fromPort, cidrIpv4: "10.0.0.0/16" }],
        egress: [],
      },
    ];
  }

  it("passes when the enforced group admits the clients' addresses on the listener port", () => {
    expect(run((s) => withNlbGroup(s, 5432, "on")).status).toBe("pass");
  });

  it("fails when the enforced group admits nothing of the clients on the port, and the fix adds their CIDR", () => {
    const result = run((s) => withNlbGroup(s, 5433, "on"));
    expect(result.status).toBe("fail");
    expect(result.summary).toContain("db-nlb's security groups do not admit the VPC CIDRs of");
    expect(result.findings[0]!.remediation!.command).toBe(
      `aws ec2 authorize-security-group-ingress --region us-east-1 --group-id ${PROVIDER.nlbGroup} --ip-permissions 'IpProtocol=tcp,FromPort=5432,ToPort=5432,IpRanges=[{CidrIp=10.0.0.0/16,Description=vpce-doctor ${IDS.endpoint}}]'`,
    );
  });

  it("passes, with a note, when the groups do not filter PrivateLink traffic", () => {
    const result = run((s) => withNlbGroup(s, 5433, "off"));
    expect(result.status).toBe("pass");
    expect(result.summary).toContain("do not filter PrivateLink traffic");
  });

  it("warns, not fails, when the enforcement setting is not reported", () => {
    expect(run((s) => withNlbGroup(s, 5433, undefined)).status).toBe("warn");
  });

  it("is unknown when the NLB's groups could not be read", () => {
    const result = run((s) => {
      withNlbGroup(s, 5432, "on");
      nlb(s).securityGroups = undefined;
      withGap(s, "loadBalancers", "ec2:DescribeSecurityGroups");
    });
    expect(result.status).toBe("unknown");
  });
});

describe("service-provider: connection and principals", () => {
  it("notes a pending connection without failing: service-acceptance blames it", () => {
    const result = run((s) => {
      asProvidedService(s);
      s.serviceConnection!.state = "pendingAcceptance";
    });
    expect(result.status).toBe("pass");
    expect(result.findings.map((f) => f.summary)).toContain(
      `the provider sees ${IDS.endpoint} as pendingAcceptance: service-acceptance reports that as the cause`,
    );
  });

  it("notes a consumer account no longer among the allowed principals", () => {
    const result = run((s) => {
      asProvidedService(s);
      s.serviceConfiguration!.allowedPrincipals = ["arn:aws:iam::999999999999:root"];
    });
    expect(result.status).toBe("pass");
    expect(result.findings[0]!.summary).toContain(
      `account ${IDS.account} is not among the allowed principals`,
    );
  });

  it("notes a connection that could not be read, and still judges the load balancer", () => {
    const result = run((s) => {
      asProvidedService(s);
      s.serviceConnection = undefined;
      withGap(s, "serviceConnection", "ec2:DescribeVpcEndpointConnections", "InternalError");
    });
    expect(result.status).toBe("pass");
    expect(result.findings[0]!.summary).toBe(
      "this endpoint's connection was not read from the provider's side",
    );
  });
});

describe("service-provider: when the provider side is not readable", () => {
  it("skips an AWS service", () => {
    const result = run(() => {});
    expect(result).toMatchObject({ status: "skip" });
    expect(result.summary).toContain("AWS operates the service side");
  });

  it("skips another account's service with what its provider should check, on the --port ports", () => {
    const result = run((s) => {
      asForeignProvidedService(s);
      s.serviceConfiguration = undefined;
      s.serviceConnection = undefined;
      s.loadBalancers = undefined;
      s.portHint = { ports: [5432], origin: "request" };
    });
    expect(result.status).toBe("skip");
    expect(result.summary).toContain("(account 444455556666) is not readable: add provides:");
    expect(result.findings[0]!.evidence).toEqual([
      "a listener on tcp/5432 on the service's load balancer",
      "a healthy target in each endpoint AZ (AZ ids: use1-az1, use1-az2), or cross-zone load balancing on",
      "the NLB's security groups admit the clients' private addresses on that port (when they filter PrivateLink traffic)",
      `the endpoint ${IDS.endpoint} is accepted and its account is an allowed principal`,
    ]);
  });

  it("is unknown when this account's own service configuration could not be read", () => {
    const result = run((s) => {
      asProvidedService(s);
      s.serviceConfiguration = undefined;
      s.loadBalancers = undefined;
      withGap(s, "serviceConfiguration", "ec2:DescribeVpcEndpointServiceConfigurations");
    });
    expect(result.status).toBe("unknown");
  });

  it("is unknown when the load balancers could not be read", () => {
    const result = run((s) => {
      asProvidedService(s);
      s.loadBalancers = undefined;
      withGap(s, "loadBalancers", "elasticloadbalancing:DescribeLoadBalancers");
    });
    expect(result.status).toBe("unknown");
    expect(result.summary).toContain("elasticloadbalancing:DescribeLoadBalancers denied");
  });

  it("skips a gateway endpoint", () => {
    const result = runCheck(
      serviceProvider,
      interfaceSnapshot((s) => (s.endpoint!.type = "Gateway")),
    );
    expect(result.status).toBe("skip");
  });
});

describe("service-provider: Gateway Load Balancer services", () => {
  function asGwlb(s: Snapshot): void {
    asProvidedService(s, {
      ...providerNlb(),
      type: "gateway",
      listeners: [{ arn: PROVIDER.listener, targetGroupArns: [PROVIDER.targetGroup] }],
    });
    s.endpoint!.type = "GatewayLoadBalancer";
    group(s).protocol = "GENEVE";
    group(s).port = 6081;
  }

  it("passes with healthy appliances in each endpoint AZ", () => {
    expect(run(asGwlb).status).toBe("pass");
  });

  it("fails when an endpoint AZ has no healthy appliance and cross-zone is off", () => {
    const result = run((s) => {
      asGwlb(s);
      targetB(s).state = "unhealthy";
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toContain("no healthy target in us-east-1b (use1-az2)");
  });

  it("fails when the GWLB has no listener", () => {
    const result = run((s) => {
      asGwlb(s);
      nlb(s).listeners = [];
    });
    expect(result.status).toBe("fail");
    expect(result.summary).toBe("db-nlb has no listener: it forwards no traffic to its appliances");
  });
});
