import { describe, expect, it } from "vitest";
import { flowLogs } from "../../src/checks/flow-logs.js";
import { runCheck } from "../../src/diagnosis/evaluate.js";
import type { FlowRecord, Snapshot } from "../../src/diagnosis/snapshot.js";
import {
  asSmtpEndpoint,
  gatewaySnapshot,
  healthyInterfaceSnapshot,
  IDS,
  interfaceSnapshot,
  withGap,
} from "../support/snapshot-factory.js";

const run = (s: Snapshot) => runCheck(flowLogs, s);

const CUSTOM_SERVICE = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";

function reject(src: string, dstPort: number, eni: string = IDS.eniA, dst = "10.0.1.10"): FlowRecord {
  return {
    interfaceId: eni,
    srcAddr: src,
    dstAddr: dst,
    srcPort: 40000,
    dstPort,
    protocol: 6,
    action: "REJECT",
    start: 1_795_435_200,
    raw: `2 ${IDS.account} ${eni} ${src} ${dst} 40000 ${dstPort} 6 3 180 1795435200 1795435260 REJECT OK`,
  };
}

function withRejects(s: Snapshot, rejects: FlowRecord[], truncated = false): void {
  s.flowRecords = [
    {
      logGroupName: "/vpc/flow-logs",
      streams: [`${IDS.eniA}-all`, `${IDS.eniB}-all`],
      rejects,
      scannedEvents: 5000,
      truncated,
    },
  ];
}

describe("flow-logs", () => {
  describe("passes when", () => {
    it("the flow logs go to S3 only: not a fault, but says it cannot read them, names the bucket and an Athena query", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.flowLogs = [
            {
              id: "fl-0s3000000000000000",
              resourceId: IDS.vpc,
              trafficType: "ALL",
              destinationType: "s3",
              destination: "arn:aws:s3:::flow-log-bucket/vpc",
              deliverStatus: "SUCCESS",
            },
          ];
          s.flowRecords = [];
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("s3");
      expect(outcome.findings[0]!.severity).toBe("info");
      const finding = outcome.findings[0]!;
      expect(finding.evidence.join("\n")).toContain("arn:aws:s3:::flow-log-bucket/vpc");
      expect(finding.remediation!.text).toContain("Athena");
      expect(finding.remediation!.text).toContain(`'${IDS.eniA}', '${IDS.eniB}'`);
    });

    it("a VPC flow log in CloudWatch Logs shows no REJECT for the endpoint ENIs", () => {
      const outcome = run(healthyInterfaceSnapshot());
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.summary).toContain("no REJECT records for the endpoint ENIs in the last 1 h");
      expect(outcome.summary).toContain(
        "flow logs cannot see DNS to the VPC resolver; absence of REJECTs is not proof",
      );
      expect(outcome.findings).toEqual([]);
    });

    it("the flow log is on an endpoint subnet instead of the VPC", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.flowLogs![0]!.resourceId = IDS.subnetB;
        }),
      );
      expect(outcome.status).toBe("pass");
    });

    it("the flow log is on one of the endpoint ENIs and records REJECT only", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.flowLogs![0]!.resourceId = IDS.eniA;
          s.flowLogs![0]!.trafficType = "REJECT";
        }),
      );
      expect(outcome.status).toBe("pass");
    });

    it("the reader stopped early without finding REJECTs, and says so", () => {
      const outcome = run(interfaceSnapshot((s) => withRejects(s, [], true)));
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("truncated");
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("truncated after 5000 events");
    });

    it("no stream exists yet for one ENI, noted as info", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.flowRecords![0]!.streams = [`${IDS.eniA}-all`];
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings).toHaveLength(1);
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.summary).toContain(`no log stream for ${IDS.eniB}`);
    });

    it("the only REJECTs are a scanner's on 22 and 3389: a note, and nothing says to open them", () => {
      const outcome = run(
        interfaceSnapshot((s) =>
          withRejects(s, [
            reject("198.51.100.9", 22),
            reject("198.51.100.9", 22, IDS.eniB, "10.0.2.10"),
            reject("198.51.100.9", 3389),
          ]),
        ),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.summary).toContain("no REJECT records on tcp/443 for the endpoint ENIs in the last 1 h");
      expect(outcome.summary).toContain("3 on other ports, not the service's traffic");
      expect(outcome.findings).toHaveLength(1);
      const note = outcome.findings[0]!;
      expect(note.severity).toBe("info");
      expect(note.summary).toContain("3 REJECTs on other ports than tcp/443");
      expect(note.summary).toContain("scanner");
      expect(note.evidence.join("\n")).toContain("top destination ports: 22 (2), 3389 (1)");
      expect(note.remediation).toBeUndefined();
      expect(JSON.stringify(outcome)).not.toMatch(/authorize|--port 22|open 22/);
    });

    it("an SMTP endpoint's only REJECTs are on 443, which SMTP does not use", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          asSmtpEndpoint(s);
          withRejects(s, [reject("10.0.3.7", 443)]);
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings[0]!.summary).toContain("other ports than tcp/25, 465, 587, 2465, 2587");
    });

    it("a Gateway Load Balancer endpoint shows no REJECT", () => {
      const outcome = run(interfaceSnapshot((s) => (s.endpoint!.type = "GatewayLoadBalancer")));
      expect(outcome.status).toBe("pass");
    });

    it("another flow log is broken but a working one covers the ENIs (noted as info)", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.flowLogs!.push({
            id: "fl-0broken000000000",
            resourceId: IDS.eniA,
            trafficType: "ALL",
            destinationType: "s3",
            destination: "arn:aws:s3:::gone-bucket",
            deliverStatus: "FAILED",
            deliverError: "DeliveryFailed",
          });
        }),
      );
      expect(outcome.status).toBe("pass");
      expect(outcome.findings).toHaveLength(1);
      expect(outcome.findings[0]!.severity).toBe("info");
      expect(outcome.findings[0]!.summary).toContain("fl-0broken000000000");
    });
  });

  describe("fails when", () => {
    const rejects = [
      ...Array.from({ length: 6 }, () => reject("10.0.3.7", 443)),
      ...Array.from({ length: 3 }, () => reject("10.0.4.9", 443, IDS.eniB, "10.0.2.10")),
      reject("10.0.5.5", 8443),
      reject("10.0.6.6", 22),
      reject("10.0.7.7", 443),
      reject("10.0.8.8", 443),
      reject("10.0.9.9", 443),
    ];

    it("REJECT records towards the endpoint ENIs on the service port are in the window", () => {
      const outcome = run(interfaceSnapshot((s) => withRejects(s, rejects)));
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("12 REJECT flow-log records on tcp/443");
      expect(outcome.summary).toContain(IDS.endpoint);
      const finding = outcome.findings[0]!;
      const evidence = finding.evidence.join("\n");
      expect(evidence).toContain("top sources: 10.0.3.7 (6), 10.0.4.9 (3), 10.0.7.7 (1),");
      expect(evidence).not.toContain("10.0.6.6");
      expect(evidence).not.toContain("10.0.5.5");
      expect(evidence).toContain("top destination ports: 443 (12)");
      expect(evidence).toContain(`per ENI: ${IDS.eniA} (9), ${IDS.eniB} (3)`);
      expect(evidence).toContain("12 towards the endpoint addresses (10.0.1.10, 10.0.2.10)");
      expect(finding.remediation!.text).toContain("admit the top sources on tcp/443");
      expect(finding.remediation!.text).not.toMatch(/\b22\b|8443/);
      const note = outcome.findings[1]!;
      expect(note.severity).toBe("info");
      expect(note.summary).toContain("2 REJECTs on other ports than tcp/443");
      expect(note.remediation).toBeUndefined();
      expect(finding.evidence.filter((line) => line.startsWith("sample: "))).toHaveLength(3);
      expect(evidence).toContain(`sample: 2 ${IDS.account} ${IDS.eniA} 10.0.3.7`);
      expect(evidence).toContain(`sample: 2 ${IDS.account} ${IDS.eniB} 10.0.4.9`);
      expect(finding.remediation!.text).toContain("security group or network ACL dropped it");
      expect(finding.remediation!.text).toContain("security-groups and network-acls checks");
      expect(finding.remediation!.command).toContain(`--region us-east-1`);
      expect(finding.remediation!.command).toContain(IDS.sgEndpoint);
      expect(finding.remediation!.command).toContain(`${IDS.subnetA},${IDS.subnetB}`);
      expect(finding.resourceIds).toEqual(
        expect.arrayContaining([IDS.endpoint, IDS.eniA, IDS.eniB, IDS.sgEndpoint, IDS.naclMain]),
      );
    });

    it("a reply from the endpoint on 443 to the client's ephemeral port is REJECTed (outbound NACL)", () => {
      const reply: FlowRecord = {
        ...reject("10.0.1.10", 52000, IDS.eniA, "10.0.3.7"),
        srcPort: 443,
        raw: `2 ${IDS.account} ${IDS.eniA} 10.0.1.10 10.0.3.7 443 52000 6 3 180 1795435200 1795435260 REJECT OK`,
      };
      const outcome = run(interfaceSnapshot((s) => withRejects(s, [reply])));
      expect(outcome.status).toBe("fail");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("0 towards the endpoint addresses");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("1 from them: outbound NACL");
    });

    it("an SMTP endpoint's REJECTs are on 587, and scanner REJECTs on 22 stay a note", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          asSmtpEndpoint(s);
          withRejects(s, [reject("10.0.3.7", 587), reject("198.51.100.9", 22)]);
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("1 REJECT flow-log record on tcp/25, 465, 587, 2465, 2587");
      expect(outcome.findings[1]!.summary).toContain("1 REJECT on other ports");
    });

    it("a custom service with --port 5432 sees REJECTs on 5432", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = CUSTOM_SERVICE;
          s.portHint = { ports: [5432], origin: "request" };
          withRejects(s, [reject("10.0.3.7", 5432)]);
        }),
      );
      expect(outcome.status).toBe("fail");
      expect(outcome.summary).toContain("on tcp/5432");
    });

    it("REJECTs were found by a reader that stopped early, noted in evidence", () => {
      const outcome = run(interfaceSnapshot((s) => withRejects(s, [reject("10.0.3.7", 443)], true)));
      expect(outcome.status).toBe("fail");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain(
        "/vpc/flow-logs: truncated after 5000 events: the counts are a lower bound",
      );
    });
  });

  describe("warns when", () => {
    it("a custom service without --port has REJECTs on 443: capped at warn, 443 being only assumed", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = CUSTOM_SERVICE;
          withRejects(s, [reject("10.0.3.7", 443)]);
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("only assumed");
      expect(outcome.findings[0]!.remediation!.text).toContain("--port <listener port>");
    });

    it("a custom service without --port has REJECTs on 5432: maybe its listener port, so not dismissed", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.serviceName = CUSTOM_SERVICE;
          withRejects(s, [reject("10.0.3.7", 5432)]);
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("on tcp/5432");
    });

    it("the log format records no ports, so REJECTs cannot be tied to the service", () => {
      const outcome = run(
        interfaceSnapshot((s) =>
          withRejects(s, [{ ...reject("10.0.3.7", 443), srcPort: undefined, dstPort: undefined }]),
        ),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("records no ports");
    });

    it("no flow log covers the VPC, the endpoint subnets or the ENIs", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.flowLogs = [{ ...s.flowLogs![0]!, resourceId: "vpc-0other00000000000" }];
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain(IDS.endpoint);
      expect(outcome.findings[0]!.remediation!.command).toBe(
        `aws ec2 create-flow-logs --region us-east-1 --resource-type VPC --resource-ids ${IDS.vpc} --traffic-type REJECT --log-destination-type cloud-watch-logs --log-group-name /vpc/flow-logs --deliver-logs-permission-arn <role-arn>`,
      );
    });

    it("there are no flow logs at all", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.flowLogs = [];
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain(IDS.eniA);
    });

    it("the only flow log fails to deliver", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.flowLogs![0]!.deliverStatus = "FAILED";
          s.flowLogs![0]!.deliverError = "Access error";
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.summary).toContain("fl-0123456789abcdef0");
      expect(outcome.findings[0]!.evidence.join("\n")).toContain("deliver error: Access error");
      expect(outcome.findings[0]!.remediation!.command).toBe(
        "aws ec2 describe-flow-logs --region us-east-1 --flow-log-ids fl-0123456789abcdef0",
      );
    });

    it("the only flow log records ACCEPT traffic only", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.flowLogs![0]!.trafficType = "accept";
        }),
      );
      expect(outcome.status).toBe("warn");
      expect(outcome.findings[0]!.summary).toContain("ACCEPT traffic only");
      expect(outcome.findings[0]!.remediation!.command).toContain("--traffic-type REJECT");
    });
  });

  describe("unknown when", () => {
    it("the flow-log configuration could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          delete s.flowLogs;
          withGap(s, "flowLogs", "ec2:DescribeFlowLogs");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("ec2:DescribeFlowLogs");
    });

    it("the records of the CloudWatch log group could not be read", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          delete s.flowRecords;
          withGap(s, "flowRecords", "logs:FilterLogEvents");
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("logs:FilterLogEvents");
    });

    it("the CloudWatch log group was not read and no gap explains it", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.flowRecords = [];
        }),
      );
      expect(outcome.status).toBe("unknown");
      expect(outcome.summary).toContain("/vpc/flow-logs");
    });
  });

  describe("skips when", () => {
    it("the endpoint has no network interfaces (a failed endpoint)", () => {
      const outcome = run(
        interfaceSnapshot((s) => {
          s.endpoint!.state = "failed";
          s.endpoint!.networkInterfaceIds = [];
          s.networkInterfaces = [];
          s.flowRecords = [];
        }),
      );
      expect(outcome.status).toBe("skip");
      expect(outcome.summary).toBe(`${IDS.endpoint} has no network interfaces to log`);
    });

    it("the endpoint is a gateway endpoint", () => {
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
