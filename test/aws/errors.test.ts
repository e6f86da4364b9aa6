import { describe, expect, it } from "vitest";
import {
  credentialsProblem,
  errorMessage,
  errorName,
  isAccessDenied,
  isCredentialsError,
  toGap,
} from "../../src/aws/errors.js";

const sdkError = (name: string, message = "boom") => Object.assign(new Error(message), { name });

describe("toGap", () => {
  it.each(["AccessDenied", "AccessDeniedException", "UnauthorizedOperation"])(
    "normalises %s to AccessDenied",
    (name) => {
      expect(toGap("networkAcls", "ec2:DescribeNetworkAcls", sdkError(name, "not authorized"))).toEqual({
        source: "networkAcls",
        iamAction: "ec2:DescribeNetworkAcls",
        error: "AccessDenied",
        message: "not authorized",
      });
    },
  );

  it.each(["Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException"])(
    "normalises %s to Throttling",
    (name) => {
      expect(toGap("cloudTrail", "cloudtrail:LookupEvents", sdkError(name)).error).toBe("Throttling");
    },
  );

  it("keeps the request id of a call AWS answered, and none for a call it never answered", () => {
    const answered = Object.assign(sdkError("InternalError"), {
      $metadata: { httpStatusCode: 500, requestId: "5f2a9c1e-77aa-4b1e-9d0e-1a2b3c4d5e6f" },
    });
    expect(toGap("networkAcls", "ec2:DescribeNetworkAcls", answered).requestId).toBe(
      "5f2a9c1e-77aa-4b1e-9d0e-1a2b3c4d5e6f",
    );
    expect(toGap("networkAcls", "ec2:DescribeNetworkAcls", sdkError("TimeoutError"))).not.toHaveProperty(
      "requestId",
    );
  });

  it("keeps other error names as they are", () => {
    expect(toGap("metrics", "cloudwatch:GetMetricData", sdkError("InternalError")).error).toBe(
      "InternalError",
    );
  });
});

describe("errorMessage", () => {
  it("keeps one line and drops encoded authorisation blobs", () => {
    const error = sdkError(
      "UnauthorizedOperation",
      "You are not authorized.\nEncoded authorization failure message: AbC123xyz",
    );
    expect(errorMessage(error)).toBe("You are not authorized.");
  });
  it("prefers EC2's Code over a generic name", () => {
    expect(
      errorName(Object.assign(new Error("x"), { name: "Error", Code: "InvalidVpcEndpointId.NotFound" })),
    ).toBe("InvalidVpcEndpointId.NotFound");
  });
});

describe("credential errors", () => {
  it("recognises unusable credentials, not refusals", () => {
    expect(isCredentialsError(sdkError("ExpiredToken"))).toBe(true);
    expect(isCredentialsError(sdkError("CredentialsProviderError"))).toBe(true);
    expect(isCredentialsError(sdkError("AccessDenied"))).toBe(false);
    expect(isAccessDenied(sdkError("AccessDenied"))).toBe(true);
  });

  it("says what to do for each kind", () => {
    expect(credentialsProblem(sdkError("CredentialsProviderError"), "ec2:DescribeVpcEndpoints")).toMatch(
      /^no AWS credentials found: set AWS_PROFILE/,
    );
    expect(credentialsProblem(sdkError("ExpiredTokenException"), "ec2:DescribeVpcEndpoints")).toMatch(
      /have expired .*aws sso login/,
    );
    expect(
      credentialsProblem(sdkError("InvalidClientTokenId", "bad key"), "ec2:DescribeVpcEndpoints"),
    ).toMatch(/rejected the credentials \(ec2:DescribeVpcEndpoints: InvalidClientTokenId\): bad key/);
  });
});
