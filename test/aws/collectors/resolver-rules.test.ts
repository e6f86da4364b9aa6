import {
  ListResolverRuleAssociationsCommand,
  ListResolverRulesCommand,
  type ResolverRule,
} from "@aws-sdk/client-route53resolver";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { collectResolverRules, normaliseRuleDomain } from "../../../src/aws/collectors/resolver-rules.js";
import { IDS } from "../../support/snapshot-factory.js";
import { awsError, testClients, testContext } from "./telemetry-context.js";

const clients = testClients();
const resolver = mockClient(clients.route53resolver);

beforeEach(() => resolver.reset());

const FORWARD: ResolverRule = {
  Id: "rslvr-rr-forward",
  Name: "to-onprem",
  DomainName: "AmazonAWS.com.",
  RuleType: "FORWARD",
  Status: "COMPLETE",
  TargetIps: [{ Ip: "10.10.0.2", Port: 53 }, { Ipv6: "2001:db8::53" }],
  ResolverEndpointId: "rslvr-out-0123",
  OwnerId: "444455556666",
};
const SYSTEM: ResolverRule = {
  Id: "rslvr-rr-system",
  DomainName: "ssm.us-east-1.amazonaws.com.",
  RuleType: "SYSTEM",
  Status: "COMPLETE",
  OwnerId: IDS.account,
};
const INTERNET: ResolverRule = {
  Id: "rslvr-autodefined-rr-internet-resolver",
  Name: "Internet Resolver",
  DomainName: ".",
  RuleType: "RECURSIVE",
  Status: "COMPLETE",
  OwnerId: "Route 53 Resolver",
};
const UNRELATED: ResolverRule = { Id: "rslvr-rr-other", DomainName: "corp.internal.", RuleType: "FORWARD" };

function association(ruleId: string) {
  return {
    Id: `rslvr-rrassoc-${ruleId}`,
    ResolverRuleId: ruleId,
    VPCId: IDS.vpc,
    Status: "COMPLETE" as const,
  };
}

describe("normaliseRuleDomain", () => {
  it("lower-cases, drops the trailing dot and names the root '.'", () => {
    expect(normaliseRuleDomain("Example.COM.")).toBe("example.com");
    expect(normaliseRuleDomain(".")).toBe(".");
    expect(normaliseRuleDomain("")).toBe(".");
    expect(normaliseRuleDomain(undefined)).toBe(".");
  });
});

describe("collectResolverRules", () => {
  it("lists the VPC's associations, then the account's rules once, keeping the associated ones", async () => {
    resolver.on(ListResolverRuleAssociationsCommand).resolves({
      ResolverRuleAssociations: [
        association(FORWARD.Id!),
        association(SYSTEM.Id!),
        association(INTERNET.Id!),
      ],
    });
    resolver.on(ListResolverRulesCommand).resolves({ ResolverRules: [UNRELATED, INTERNET, SYSTEM, FORWARD] });
    const ctx = testContext(clients);
    const rules = await collectResolverRules(ctx, IDS.vpc);
    expect(resolver.commandCalls(ListResolverRuleAssociationsCommand).map((c) => c.args[0].input)).toEqual([
      { Filters: [{ Name: "VPCId", Values: [IDS.vpc] }], MaxResults: 100, NextToken: undefined },
    ]);
    expect(resolver.commandCalls(ListResolverRulesCommand).map((c) => c.args[0].input)).toEqual([
      { MaxResults: 100, NextToken: undefined },
    ]);
    expect(rules).toEqual([
      {
        id: INTERNET.Id,
        name: "Internet Resolver",
        domainName: ".",
        ruleType: "RECURSIVE",
        status: "COMPLETE",
        targetIps: [],
        resolverEndpointId: undefined,
        ownerId: "Route 53 Resolver",
        associationId: `rslvr-rrassoc-${INTERNET.Id}`,
        associationStatus: "COMPLETE",
      },
      {
        id: FORWARD.Id,
        name: "to-onprem",
        domainName: "amazonaws.com",
        ruleType: "FORWARD",
        status: "COMPLETE",
        targetIps: [{ ip: "10.10.0.2", port: 53 }, { ip: "2001:db8::53" }],
        resolverEndpointId: "rslvr-out-0123",
        ownerId: "444455556666",
        associationId: `rslvr-rrassoc-${FORWARD.Id}`,
        associationStatus: "COMPLETE",
      },
      expect.objectContaining({
        id: SYSTEM.Id,
        domainName: "ssm.us-east-1.amazonaws.com",
        ruleType: "SYSTEM",
      }),
    ]);
    expect(ctx.gaps).toEqual([]);
  });

  it("makes one call when nothing is associated", async () => {
    resolver.on(ListResolverRuleAssociationsCommand).resolves({ ResolverRuleAssociations: [] });
    expect(await collectResolverRules(testContext(clients), IDS.vpc)).toEqual([]);
    expect(resolver.commandCalls(ListResolverRulesCommand)).toHaveLength(0);
  });

  it("follows NextToken for associations, and for rules only until every associated rule is found", async () => {
    resolver
      .on(ListResolverRuleAssociationsCommand)
      .resolvesOnce({ ResolverRuleAssociations: [association(FORWARD.Id!)], NextToken: "a2" })
      .resolves({ ResolverRuleAssociations: [association(SYSTEM.Id!)] });
    resolver
      .on(ListResolverRulesCommand)
      .resolvesOnce({ ResolverRules: [FORWARD, UNRELATED], NextToken: "r2" })
      .resolvesOnce({ ResolverRules: [SYSTEM], NextToken: "r3" })
      .resolves({ ResolverRules: [INTERNET] });
    const rules = await collectResolverRules(testContext(clients), IDS.vpc);
    expect(
      resolver.commandCalls(ListResolverRuleAssociationsCommand).map((c) => c.args[0].input.NextToken),
    ).toEqual([undefined, "a2"]);
    expect(resolver.commandCalls(ListResolverRulesCommand).map((c) => c.args[0].input.NextToken)).toEqual([
      undefined,
      "r2",
    ]);
    expect(rules?.map((r) => r.id)).toEqual([FORWARD.Id, SYSTEM.Id]);
  });

  it("keeps the rules found and leaves a gap naming the associated rules it could not find", async () => {
    resolver.on(ListResolverRuleAssociationsCommand).resolves({
      ResolverRuleAssociations: [association(FORWARD.Id!), association("rslvr-rr-shared-elsewhere")],
    });
    resolver.on(ListResolverRulesCommand).resolves({ ResolverRules: [FORWARD] });
    const ctx = testContext(clients);
    expect((await collectResolverRules(ctx, IDS.vpc))?.map((r) => r.id)).toEqual([FORWARD.Id]);
    expect(ctx.gaps).toEqual([
      expect.objectContaining({
        source: "resolverRules",
        iamAction: "route53resolver:ListResolverRules",
        error: "Incomplete",
        message: expect.stringContaining("rslvr-rr-shared-elsewhere"),
      }),
    ]);
  });

  it("records a gap naming the refused action for either call", async () => {
    resolver.on(ListResolverRuleAssociationsCommand).rejects(awsError("AccessDeniedException"));
    const denied = testContext(clients);
    expect(await collectResolverRules(denied, IDS.vpc)).toBeUndefined();
    expect(denied.gaps).toEqual([
      expect.objectContaining({
        source: "resolverRules",
        iamAction: "route53resolver:ListResolverRuleAssociations",
        error: "AccessDenied",
      }),
    ]);

    resolver.reset();
    resolver
      .on(ListResolverRuleAssociationsCommand)
      .resolves({ ResolverRuleAssociations: [association(FORWARD.Id!)] });
    resolver.on(ListResolverRulesCommand).rejects(awsError("ThrottlingException"));
    const throttled = testContext(clients);
    expect(await collectResolverRules(throttled, IDS.vpc)).toBeUndefined();
    expect(throttled.gaps).toEqual([
      expect.objectContaining({ source: "resolverRules", iamAction: "route53resolver:ListResolverRules" }),
    ]);
  });
});
