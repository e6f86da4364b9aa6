import { describe, expect, it } from "vitest";
import type { Client } from "../../src/checks/peers.js";
import { endpointFamilies, endpointTargets, isOutcome, resolveClient } from "../../src/checks/peers.js";
import type { CheckOutcome } from "../../src/diagnosis/check.js";
import type { Snapshot } from "../../src/diagnosis/snapshot.js";
import { IDS, interfaceSnapshot, withGap } from "../support/snapshot-factory.js";

function client(s: Snapshot): Client {
  const c = resolveClient(s, s.endpoint!);
  if (isOutcome(c)) throw new Error(`expected a client, got ${c.status}: ${c.summary}`);
  return c;
}

function outcome(s: Snapshot): CheckOutcome {
  const c = resolveClient(s, s.endpoint!);
  if (!isOutcome(c)) throw new Error("expected an outcome");
  return c;
}

describe("resolveClient", () => {
  it("uses the VPC CIDRs, imprecisely, without a source", () => {
    const c = client(interfaceSnapshot());
    expect(c).toMatchObject({ blocks: ["10.0.0.0/16"], precise: false });
    expect(c.securityGroupIds).toBeUndefined();
    expect(c.description).toContain(IDS.vpc);
  });

  it("uses an instance's addresses, subnet and groups", () => {
    const c = client(
      interfaceSnapshot((s) => {
        s.source = {
          given: { kind: "instance", value: "i-0123456789abcdef0" },
          addresses: ["10.0.3.7"],
          subnetId: IDS.subnetC,
          securityGroupIds: [IDS.sgClient],
          found: true,
        };
      }),
    );
    expect(c).toMatchObject({
      blocks: ["10.0.3.7/32"],
      precise: true,
      subnetId: IDS.subnetC,
      securityGroupIds: [IDS.sgClient],
    });
    expect(c.description).toBe("source i-0123456789abcdef0 (10.0.3.7/32)");
  });

  it("uses a subnet's CIDR for a subnet source", () => {
    const c = client(
      interfaceSnapshot((s) => {
        s.source = {
          given: { kind: "subnet", value: IDS.subnetB },
          addresses: [],
          securityGroupIds: [],
          found: true,
        };
      }),
    );
    expect(c).toMatchObject({ blocks: ["10.0.2.0/24"], precise: true, subnetId: IDS.subnetB });
    expect(c.securityGroupIds).toBeUndefined();
  });

  it("takes members of a security group to be within the VPC", () => {
    const c = client(
      interfaceSnapshot((s) => {
        s.source = {
          given: { kind: "security-group", value: IDS.sgClient },
          addresses: [],
          securityGroupIds: [],
          found: true,
        };
      }),
    );
    expect(c).toMatchObject({ blocks: ["10.0.0.0/16"], precise: false, securityGroupIds: [IDS.sgClient] });
    expect(c.description).toBe(`members of ${IDS.sgClient}`);
  });

  it("drops addresses of a family the endpoint does not serve, and warns when none is left", () => {
    const dual = client(
      interfaceSnapshot((s) => {
        s.vpc!.cidrsIpv6 = ["2600:1f18:aaaa:bb00::/56"];
      }),
    );
    expect(dual.blocks).toEqual(["10.0.0.0/16"]);
    expect(dual.notes.join(" ")).toContain("2600:1f18:aaaa:bb00::/56 not checked");

    const none = outcome(
      interfaceSnapshot((s) => {
        s.source = {
          given: { kind: "cidr", value: "2600:1f18:aaaa:bb01::/64", ipVersion: 6 },
          addresses: [],
          securityGroupIds: [],
          found: true,
        };
      }),
    );
    expect(none.status).toBe("warn");
  });

  it("is unknown when the source or the VPC could not be read", () => {
    const noSource = outcome(
      interfaceSnapshot((s) => {
        s.source = {
          given: { kind: "instance", value: "i-0123456789abcdef0" },
          addresses: [],
          securityGroupIds: [],
          found: false,
        };
        withGap(s, "source", "ec2:DescribeInstances");
      }),
    );
    expect(noSource.status).toBe("unknown");
    expect(noSource.summary).toContain("ec2:DescribeInstances");

    const noVpc = outcome(
      interfaceSnapshot((s) => {
        s.vpc = undefined;
        withGap(s, "vpc", "ec2:DescribeVpcs");
      }),
    );
    expect(noVpc.status).toBe("unknown");
  });
});

describe("endpointTargets", () => {
  it("gives the ENI addresses per subnet", () => {
    const s = interfaceSnapshot();
    expect(endpointTargets(s, s.endpoint!)).toEqual({
      targets: [
        {
          subnetId: IDS.subnetA,
          blocks: ["10.0.1.10/32"],
          via: "eni",
          description: `${IDS.eniA} (10.0.1.10/32)`,
        },
        {
          subnetId: IDS.subnetB,
          blocks: ["10.0.2.10/32"],
          via: "eni",
          description: `${IDS.eniB} (10.0.2.10/32)`,
        },
      ],
      unresolved: [],
    });
  });

  it("falls back to the subnet CIDRs when the ENIs are unknown, and lists what it cannot place", () => {
    const s = interfaceSnapshot((x) => {
      x.networkInterfaces = undefined;
      x.subnets = x.subnets!.filter((sub) => sub.id === IDS.subnetA);
    });
    const { targets, unresolved } = endpointTargets(s, s.endpoint!);
    expect(targets).toEqual([
      {
        subnetId: IDS.subnetA,
        blocks: ["10.0.1.0/24"],
        via: "subnet",
        description: `${IDS.subnetA} (10.0.1.0/24)`,
      },
    ]);
    expect(unresolved).toEqual([IDS.subnetB]);
  });
});

describe("endpointFamilies", () => {
  it("follows the IP address type, IPv4 by default", () => {
    const s = interfaceSnapshot();
    expect(endpointFamilies({ ...s.endpoint!, ipAddressType: undefined })).toEqual([4]);
    expect(endpointFamilies({ ...s.endpoint!, ipAddressType: "Dualstack" })).toEqual([4, 6]);
    expect(endpointFamilies({ ...s.endpoint!, ipAddressType: "ipv6" })).toEqual([6]);
  });
});
