import { DeleteVpcPeeringConnectionCommand } from "@aws-sdk/client-ec2";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { cli, useMoto } from "./cli-harness.js";
import { admit, onPremises, openNacls, peer, transit } from "./outside-world.js";
import { buildWorld, type FixtureClients, fixtureClients } from "./world.js";

// Clients outside the endpoint's VPC, built in moto and diagnosed through the CLI: a peered client with routes
// both ways, a missing return route, a peering gone, a TGW with and without its routes, an on-premises address
// behind a VGW; and an endpoint asked for in the wrong region. Each client has its own address, since an
// address is looked up across the account.

const motoUrl = inject("motoUrl");
let clients: FixtureClients;

beforeAll(() => {
  useMoto(motoUrl);
  clients = fixtureClients(motoUrl, "us-east-1");
});

// biome-ignore lint/suspicious/noExplicitAny: JSON document
const checkOf = (doc: any, id: string) => doc.checks.find((c: { id: string }) => c.id === id);
async function diagnose(endpointId: string, from: string, region = "us-east-1") {
  return cli(["diagnose", endpointId, "--region", region, "--from", from, "--json"]);
}

describe("a client in a peered VPC", () => {
  it("passes client-route, security groups and NACLs with an active peering and routes both ways", async () => {
    const world = await buildWorld(clients);
    const joined = await peer(clients.ec2, world, "172.31.1.11");
    await admit(clients.ec2, world, "172.31.0.0/16");
    await openNacls(clients.ec2, world, joined.client);
    const run = await diagnose(world.endpointId, "172.31.1.11");
    const route = checkOf(run.json, "client-route");
    expect(route.status).toBe("pass");
    expect(route.summary).toContain(`over active ${joined.via}`);
    expect(checkOf(run.json, "security-groups").status).toBe("pass");
    expect(checkOf(run.json, "network-acls").status).toBe("pass");
    expect(run.json.verdict.cause).not.toBe("client-route");
  });

  it("fails naming the endpoint subnets' table when it has no route back", async () => {
    const world = await buildWorld(clients);
    const joined = await peer(clients.ec2, world, "172.31.1.12", { back: false });
    const run = await diagnose(world.endpointId, joined.client.eniId);
    expect(run.json.verdict).toMatchObject({ status: "broken", cause: "client-route" });
    expect(checkOf(run.json, "client-route").summary).toContain(`${joined.endpointTable} (associated with`);
    expect(checkOf(run.json, "client-route").summary).toContain("has no route to the client 172.31.1.12/32");
  });

  it("fails when the peering connection the routes use was deleted", async () => {
    const world = await buildWorld(clients);
    const joined = await peer(clients.ec2, world, "172.31.1.13");
    await clients.ec2.send(new DeleteVpcPeeringConnectionCommand({ VpcPeeringConnectionId: joined.via }));
    const run = await diagnose(world.endpointId, joined.client.subnetId);
    expect(run.json.verdict.cause).toBe("client-route");
    expect(checkOf(run.json, "client-route").summary).toBe(
      `peering connection ${joined.via} used by ${joined.client.routeTableId} is deleted, not active`,
    );
  });
});

describe("a client behind a transit gateway", () => {
  // moto lists static TGW routes without the attachment they lead to, which AWS always names: the path is then
  // followed into the TGW route table and left a warning (the pass is covered by test/checks/client-route.test.ts).
  it("follows the VPC routes into the TGW route table and finds a route toward each side", async () => {
    const world = await buildWorld(clients);
    const joined = await transit(clients.ec2, world, "172.31.1.21");
    await admit(clients.ec2, world, "172.31.0.0/16");
    await openNacls(clients.ec2, world, joined.client);
    const run = await diagnose(world.endpointId, joined.client.eniId);
    const route = checkOf(run.json, "client-route");
    expect(route.status).toBe("warn");
    expect(route.summary).toContain(`TGW route table ${joined.tgwRouteTable} has an active route for`);
    expect(route.summary).toContain("that names no attachment");
    expect(run.json.verdict.status).not.toBe("broken");
  });

  it("fails on the TGW route table's blackhole route toward the client", async () => {
    const world = await buildWorld(clients);
    const joined = await transit(clients.ec2, world, "172.31.1.22", { toClient: "blackhole" });
    const run = await diagnose(world.endpointId, joined.client.eniId);
    expect(run.json.verdict.cause).toBe("client-route");
    expect(checkOf(run.json, "client-route").summary).toBe(
      `the route to the client 172.31.1.22/32 in TGW route table ${joined.tgwRouteTable} is a blackhole`,
    );
  });

  it("fails naming the TGW route table when it has no route to the client", async () => {
    const world = await buildWorld(clients);
    const joined = await transit(clients.ec2, world, "172.31.1.23", { toClient: "none" });
    const run = await diagnose(world.endpointId, joined.client.eniId);
    expect(checkOf(run.json, "client-route").summary).toBe(
      `TGW route table ${joined.tgwRouteTable} has no route to the client 172.31.1.23/32`,
    );
  });
});

describe("an on-premises client", () => {
  it("warns with what remains for the network team when the endpoint's table routes it to a VGW", async () => {
    const world = await buildWorld(clients);
    const { vgw } = await onPremises(clients.ec2, world, "192.168.50.0/24");
    const run = await diagnose(world.endpointId, "192.168.50.7");
    const route = checkOf(run.json, "client-route");
    expect(route.status).toBe("warn");
    expect(route.summary).toContain(`route back to the on-premises client 192.168.50.7/32 through ${vgw}`);
    expect(route.findings[0].remediation.text).toContain("For the network team");
    expect(checkOf(run.json, "private-dns").summary).toContain("has no Route 53 Resolver inbound endpoint");
  });

  it("fails when no route leads back to it", async () => {
    const world = await buildWorld(clients);
    await onPremises(clients.ec2, world, "192.168.50.0/24");
    const run = await diagnose(world.endpointId, "172.20.1.7");
    expect(run.json.verdict.cause).toBe("client-route");
    expect(checkOf(run.json, "client-route").summary).toContain("has no route to the client 172.20.1.7/32");
  });
});

describe("an endpoint asked for in the wrong region", () => {
  it("is found in us-west-2 and the answer says to rerun there", async () => {
    const west = await buildWorld(fixtureClients(motoUrl, "us-west-2"), { region: "us-west-2" });
    const run = await cli(["diagnose", west.endpointId, "--region", "us-east-1", "--json"]);
    expect(run.json.verdict.cause).toBe("endpoint-exists");
    expect(checkOf(run.json, "endpoint-exists").summary).toBe(
      `${west.endpointId} is not in us-east-1 but was found in us-west-2: rerun with --region us-west-2`,
    );
  });
});
