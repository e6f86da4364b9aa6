import { describe, expect, it } from "vitest";
import { createClients } from "../../src/aws/clients.js";
import { createCallCounter } from "../../src/aws/middleware.js";

const credentials = { accessKeyId: "x", secretAccessKey: "y" };

describe("createClients", () => {
  it("binds regional clients to the region and the global APIs to the partition's home region", async () => {
    const clients = createClients({ region: "eu-west-1", credentials, counter: createCallCounter() });
    for (const name of ["ec2", "cloudwatch", "logs", "cloudtrail", "sts"] as const) {
      expect(await clients[name].config.region()).toBe("eu-west-1");
    }
    expect(await clients.route53.config.region()).toBe("us-east-1");
    expect(await clients.health.config.region()).toBe("us-east-1");
  });

  it("uses the China partition's home region for Route 53 and Health", async () => {
    const clients = createClients({ region: "cn-north-1", credentials, counter: createCallCounter() });
    expect(await clients.route53.config.region()).toBe("cn-northwest-1");
    expect(await clients.health.config.region()).toBe("cn-northwest-1");
  });

  it("uses standard retries, honours maxAttempts and the given credentials", async () => {
    const clients = createClients({
      region: "us-east-1",
      credentials,
      maxAttempts: 5,
      counter: createCallCounter(),
    });
    const config = clients.ec2.config;
    expect(config.retryMode).toBe("standard");
    expect(await config.maxAttempts()).toBe(5);
    expect(await config.credentials()).toMatchObject(credentials);
  });

  it("sets no endpoint, leaving AWS_ENDPOINT_URL to the SDK", () => {
    const clients = createClients({ region: "us-east-1", credentials, counter: createCallCounter() });
    for (const client of Object.values(clients)) {
      expect((client.config as { isCustomEndpoint?: boolean }).isCustomEndpoint).toBe(false);
    }
  });

  it("adds the call counter to every client and the latency only when asked", () => {
    const plain = createClients({ region: "us-east-1", credentials, counter: createCallCounter() });
    const slow = createClients({
      region: "us-east-1",
      credentials,
      latencyMs: 10,
      counter: createCallCounter(),
    });
    for (const client of Object.values(plain)) {
      const stack = client.middlewareStack.identify().join("\n");
      expect(stack).toContain("vpceDoctorCallCounter");
      expect(stack).not.toContain("vpceDoctorFixedLatency");
    }
    for (const client of Object.values(slow)) {
      expect(client.middlewareStack.identify().join("\n")).toContain("vpceDoctorFixedLatency");
    }
  });
});
