import { describe, expect, it } from "vitest";
import { isAwsService, servicePort } from "../../src/checks/service-port.js";

describe("servicePort", () => {
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
