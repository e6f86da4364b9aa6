import { describe, expect, it } from "vitest";
import {
  isAwsService,
  judgePorts,
  type PortStatus,
  servicePort,
  servicePortsOf,
} from "../../src/checks/service-port.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import { asProvidedService, asSmtpEndpoint, interfaceSnapshot } from "../support/snapshot-factory.js";

describe("servicePort (legacy, until network-acls moves to servicePortsOf)", () => {
  it("is tcp/443 with no caveat for AWS services", () => {
    for (const name of [
      "com.amazonaws.us-east-1.ssm",
      "com.amazonaws.s3-global.accesspoint",
      "aws.sagemaker.us-east-1.notebook",
    ]) {
      const port = servicePort(name);
      expect(port).toMatchObject({ protocol: "tcp", port: 443, custom: false, label: "tcp/443" });
      expect(port.note).toBeUndefined();
      expect(isAwsService(name)).toBe(true);
    }
  });

  it("is tcp/443 with a note to check the provider's listeners for custom services", () => {
    const name = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0";
    const port = servicePort(name);
    expect(isAwsService(name)).toBe(false);
    expect(port).toMatchObject({ protocol: "tcp", port: 443, custom: true });
    expect(port.note).toContain("vpce-svc-0123456789abcdef0");
    expect(port.note).toContain("listener ports");
  });

  it("treats names it does not recognise as custom", () => {
    expect(servicePort("partner.example.service").custom).toBe(true);
  });
});

describe("servicePortsOf", () => {
  const ports = (mutate: (s: Snapshot) => void) => servicePortsOf(interfaceSnapshot(mutate));

  it("is tcp/443 for an AWS service without other known ports", () => {
    expect(ports(() => {})).toMatchObject({
      ports: [443],
      basis: "aws-service",
      label: "tcp/443",
      custom: false,
    });
  });

  it("knows SES SMTP, CodeCommit's Git endpoint and IoT data, with their sources", () => {
    const smtp = ports((s) => asSmtpEndpoint(s));
    expect(smtp).toMatchObject({ ports: [25, 465, 587, 2465, 2587], basis: "aws-service" });
    expect(smtp.label).toBe("tcp/25, 465, 587, 2465, 2587");
    expect(smtp.source).toContain("smtp-connect");
    const git = ports((s) => (s.endpoint!.serviceName = "com.amazonaws.us-east-1.git-codecommit"));
    expect(git.ports).toEqual([22, 443]);
    const iot = ports((s) => (s.endpoint!.serviceName = "com.amazonaws.us-east-1.iot.data"));
    expect(iot.ports).toEqual([443, 8883]);
    const fips = ports((s) => (s.endpoint!.serviceName = "com.amazonaws.us-east-1.git-codecommit-fips"));
    expect(fips.ports).toEqual([443]);
  });

  it("takes the requester's ports first, sorted and without repeats", () => {
    const hinted = ports((s) => {
      asSmtpEndpoint(s);
      s.portHint = { ports: [587, 25, 587], origin: "request" };
    });
    expect(hinted).toMatchObject({ ports: [25, 587], basis: "request", label: "tcp/25, 587" });
  });

  it("assumes 443 for a custom service without a port, with a note", () => {
    const custom = ports(
      (s) => (s.endpoint!.serviceName = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"),
    );
    expect(custom).toMatchObject({ ports: [443], basis: "assumed", custom: true });
    expect(custom.note).toContain("--port");
  });

  it("takes the provider NLB's TCP listener ports for a custom service whose provider side was read", () => {
    const listened = ports((s) => {
      asProvidedService(s);
      s.loadBalancers![0]!.listeners!.push(
        { arn: "l-tls", port: 6432, protocol: "TLS", targetGroupArns: [] },
        { arn: "l-udp", port: 5353, protocol: "UDP", targetGroupArns: [] },
      );
    });
    expect(listened).toMatchObject({
      ports: [5432, 6432],
      basis: "listener",
      custom: true,
      label: "tcp/5432, 6432",
    });
    expect(listened.note).toBeUndefined();
  });

  it("prefers --port over the listener ports", () => {
    const hinted = ports((s) => {
      asProvidedService(s);
      s.portHint = { ports: [6432], origin: "request" };
    });
    expect(hinted).toMatchObject({ ports: [6432], basis: "request" });
  });
});

describe("judgePorts", () => {
  const smtp = servicePortsOf(interfaceSnapshot((s) => asSmtpEndpoint(s)));
  const statuses = (entries: [number, PortStatus][]) => new Map<number, PortStatus>(entries);

  it("passes an AWS service on one of its several ports, naming the others", () => {
    const judged = judgePorts(
      smtp,
      statuses([
        [587, "pass"],
        [25, "fail"],
        [465, "fail"],
        [2465, "fail"],
        [2587, "fail"],
      ]),
    );
    expect(judged).toEqual({ status: "pass", deciding: [587], others: [25, 465, 2465, 2587], capped: false });
  });

  it("fails an AWS service admitted on none of its ports", () => {
    const judged = judgePorts(smtp, statuses(smtp.ports.map((p) => [p, "fail"])));
    expect(judged).toMatchObject({ status: "fail", deciding: smtp.ports });
  });

  it("does not fail an AWS service when a port could not be judged", () => {
    const judged = judgePorts(
      smtp,
      statuses([
        [587, "unknown"],
        [25, "fail"],
      ]),
    );
    expect(judged.status).toBe("unknown");
  });

  it("needs every requested port", () => {
    const requested = servicePortsOf(
      interfaceSnapshot((s) => (s.portHint = { ports: [5432, 5433], origin: "request" })),
    );
    expect(
      judgePorts(
        requested,
        statuses([
          [5432, "pass"],
          [5433, "fail"],
        ]),
      ),
    ).toMatchObject({ status: "fail", deciding: [5433] });
  });

  it("caps a fail on an assumed port at warn", () => {
    const assumed = servicePortsOf(
      interfaceSnapshot(
        (s) => (s.endpoint!.serviceName = "com.amazonaws.vpce.us-east-1.vpce-svc-0123456789abcdef0"),
      ),
    );
    expect(judgePorts(assumed, statuses([[443, "fail"]]))).toMatchObject({ status: "warn", capped: true });
  });
});
