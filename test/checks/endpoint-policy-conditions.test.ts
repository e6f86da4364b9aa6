import { describe, expect, it } from "vitest";
import {
  conditionTruth,
  evaluateConditions,
  ipCoverage,
  parseOperator,
  type RequestContext,
} from "../../src/checks/endpoint-policy-conditions.js";

// IAM's condition rules for requests through one endpoint: reference_policies_elements_condition_operators.html
// (missing keys), reference_policies_multi-value-conditions.html (AND / OR / NOR).

const CONTEXT: RequestContext = { endpointId: "vpce-0aaa", vpcId: "vpc-0bbb" };
const FROM: RequestContext = { ...CONTEXT, clientAddresses: ["10.0.3.7"] };
const truth = (operator: string, key: string, values: string[], context = CONTEXT) =>
  conditionTruth({ operator, key, values }, context);

describe("parseOperator", () => {
  it("takes set prefix, IfExists and negation apart", () => {
    expect(parseOperator("ForAnyValue:StringNotEqualsIfExists")).toEqual({
      set: "any",
      base: "stringnotequals",
      ifExists: true,
      negated: true,
    });
    expect(parseOperator("IpAddress")).toEqual({
      set: undefined,
      base: "ipaddress",
      ifExists: false,
      negated: false,
    });
    expect(parseOperator("Null").base).toBe("null");
  });
});

describe("a key absent from the request (aws:SourceIp through an endpoint)", () => {
  it.each([
    ["IpAddress", false],
    ["NotIpAddress", true],
    ["IpAddressIfExists", true],
    ["NotIpAddressIfExists", true],
    ["ForAnyValue:IpAddress", false],
    ["ForAllValues:IpAddress", true],
  ])("%s is %s", (operator, expected) => {
    expect(truth(operator, "aws:SourceIp", ["203.0.113.0/24"])).toBe(expected);
  });

  it("Null true is true, Null false is false", () => {
    expect(truth("Null", "aws:SourceIp", ["true"])).toBe(true);
    expect(truth("Null", "aws:SourceIp", ["false"])).toBe(false);
    expect(truth("Null", "aws:SourceVpce", ["true"])).toBe(false);
  });
});

describe("keys the snapshot knows", () => {
  it("aws:SourceVpce is this endpoint: values OR, negated values NOR", () => {
    expect(truth("StringEquals", "aws:SourceVpce", ["vpce-0zzz", "vpce-0aaa"])).toBe(true);
    expect(truth("StringNotEquals", "aws:SourceVpce", ["vpce-0zzz", "vpce-0aaa"])).toBe(false);
    expect(truth("StringNotEquals", "aws:SourceVpce", ["vpce-0zzz"])).toBe(true);
  });

  it("case: StringEquals is exact, IgnoreCase is not; keys match case-insensitively", () => {
    expect(truth("StringEquals", "AWS:SOURCEVPC", ["VPC-0BBB"])).toBe(false);
    expect(truth("StringEqualsIgnoreCase", "aws:sourcevpc", ["VPC-0BBB"])).toBe(true);
  });

  it("StringLike and ArnLike take * and ? wildcards", () => {
    expect(truth("StringLike", "aws:SourceVpce", ["vpce-0a?a"])).toBe(true);
    expect(truth("StringNotLike", "aws:SourceVpc", ["vpc-*"])).toBe(false);
  });

  it("a policy variable cannot be decided", () => {
    const variable = ["$", "{aws:PrincipalTag/vpc}"].join("");
    expect(truth("StringEquals", "aws:SourceVpc", [variable])).toBe("unknown");
  });

  it("aws:VpcSourceIp is the client's address with --from, unknown without", () => {
    expect(truth("NotIpAddress", "aws:VpcSourceIp", ["10.0.0.0/16"])).toBe("unknown");
    expect(truth("NotIpAddress", "aws:VpcSourceIp", ["10.0.0.0/16"], FROM)).toBe(false);
    expect(truth("IpAddress", "aws:VpcSourceIp", ["10.0.1.0/24"], FROM)).toBe(false);
  });

  it("the caller's own keys are unknown", () => {
    expect(truth("StringNotEquals", "aws:PrincipalOrgID", ["o-1"])).toBe("unknown");
    expect(truth("StringNotEqualsIfExists", "aws:ResourceAccount", ["1"])).toBe("unknown");
  });

  it("the client signs its own requests: aws:PrincipalIsAWSService and aws:ViaAWSService are false", () => {
    expect(truth("BoolIfExists", "aws:PrincipalIsAWSService", ["false"])).toBe(true);
    expect(truth("Bool", "aws:ViaAWSService", ["true"])).toBe(false);
  });
});

describe("several conditions", () => {
  it("AND: one false decides, all true decides, else unknown", () => {
    const conditions = [
      { operator: "StringNotEquals", key: "aws:SourceVpce", values: ["vpce-0zzz"] },
      { operator: "StringNotEqualsIfExists", key: "aws:PrincipalOrgID", values: ["o-1"] },
    ];
    expect(evaluateConditions(conditions, CONTEXT).truth).toBe("unknown");
    expect(evaluateConditions([conditions[0]!], CONTEXT).truth).toBe(true);
    expect(
      evaluateConditions(
        [...conditions, { operator: "IpAddress", key: "aws:SourceIp", values: ["1.2.3.4"] }],
        CONTEXT,
      ).truth,
    ).toBe(false);
    expect(evaluateConditions([], CONTEXT).truth).toBe(true);
  });
});

describe("ipCoverage", () => {
  it("all inside is true, none is false, part is unknown; blocks add up", () => {
    expect(ipCoverage(["10.0.0.0/16"], "10.0.3.0/24")).toBe(true);
    expect(ipCoverage(["10.1.0.0/16"], "10.0.3.7")).toBe(false);
    expect(ipCoverage(["10.0.3.0/25"], "10.0.3.0/24")).toBe("unknown");
    expect(ipCoverage(["10.0.3.0/25", "10.0.3.128/25"], "10.0.3.0/24")).toBe(true);
    expect(ipCoverage(["not-an-ip"], "10.0.3.7")).toBe("unknown");
  });
});
