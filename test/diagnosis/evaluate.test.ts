import { describe, expect, it } from "vitest";
import type { Check, CheckStatus } from "../../src/diagnosis/check.js";
import { evaluate, runCheck, verdictOf } from "../../src/diagnosis/evaluate.js";
import { healthyGatewaySnapshot, healthyInterfaceSnapshot } from "../support/snapshot-factory.js";

function fixed(id: string, status: CheckStatus): Check {
  return {
    id,
    title: id,
    appliesTo: "any",
    needs: [],
    docs: "",
    run: () => ({ status, summary: `${id} is ${status}`, findings: [] }),
  };
}

describe("verdictOf", () => {
  const result = (id: string, status: CheckStatus) => ({
    id,
    title: id,
    status,
    summary: `${id} ${status}`,
    findings: [],
  });

  it("names the first failing check in registry order as the cause", () => {
    const verdict = verdictOf(
      [result("a", "pass"), result("b", "warn"), result("c", "fail"), result("d", "fail")],
      1,
    );
    expect(verdict).toMatchObject({ status: "broken", cause: "c", summary: "c fail" });
  });

  it("is degraded by the first warning when nothing fails", () => {
    expect(verdictOf([result("a", "unknown"), result("b", "warn")], 1)).toMatchObject({
      status: "degraded",
      cause: "b",
    });
  });

  it("is unknown, never healthy, when a check could not run", () => {
    const verdict = verdictOf([result("a", "pass"), result("b", "unknown")], 1);
    expect(verdict.status).toBe("unknown");
    expect(verdict.summary).toMatch(/could not run: b/);
  });

  it("is healthy with the runbook's next steps when nothing is wrong", () => {
    const verdict = verdictOf([result("a", "pass"), result("b", "skip")], 1);
    expect(verdict).toMatchObject({
      status: "healthy",
      cause: null,
      summary: "no cause found in the last 1 h",
    });
    expect(verdict.nextSteps.join(" ")).toMatch(/24 h.*dig.*provider side/s);
  });

  it("quotes the real DNS name, and gives NLB advice only for a custom service", () => {
    const aws = verdictOf([result("a", "pass")], 1, {
      dnsName: "ssm.us-east-1.amazonaws.com",
      customService: false,
    });
    expect(aws.nextSteps.join(" ")).toContain("dig +short ssm.us-east-1.amazonaws.com");
    expect(aws.nextSteps.join(" ")).not.toMatch(/NLB/);
    const custom = verdictOf([result("a", "pass")], 1, { dnsName: "api.example.com", customService: true });
    expect(custom.nextSteps.join(" ")).toMatch(/NLB listeners/);
  });

  it("is never degraded by hygiene: flow logs off or no traffic while idle", () => {
    const hygiene = { ...result("flow-logs", "warn"), summary: "no flow log covers vpce-1", advisory: true };
    expect(verdictOf([result("a", "pass"), hygiene], 1)).toMatchObject({ status: "healthy" });
    expect(verdictOf([hygiene, result("b", "warn")], 1)).toMatchObject({ status: "degraded", cause: "b" });
  });

  it("does not suggest extending a 24 h window", () => {
    expect(verdictOf([result("a", "pass")], 24).nextSteps.join(" ")).not.toMatch(/Extend/);
  });
});

describe("evaluate", () => {
  it("runs checks in order, giving each the results before it", () => {
    const seen: string[][] = [];
    const spy: Check = {
      id: "spy",
      title: "spy",
      appliesTo: "any",
      needs: [],
      docs: "",
      run: (_s, earlier) => {
        seen.push([...earlier.keys()]);
        return { status: "pass", summary: "ok", findings: [] };
      },
    };
    const report = evaluate(healthyInterfaceSnapshot(), [fixed("first", "pass"), spy, fixed("last", "fail")]);
    expect(seen).toEqual([["first"]]);
    expect(report.checks.map((c) => c.id)).toEqual(["first", "spy", "last"]);
    expect(report.verdict.cause).toBe("last");
  });

  it("turns a crashing check into unknown instead of losing the report", () => {
    const crash: Check = {
      id: "crash",
      title: "crash",
      appliesTo: "any",
      needs: [],
      docs: "",
      run: () => {
        throw new Error("boom");
      },
    };
    const report = evaluate(healthyInterfaceSnapshot(), [crash, fixed("ok", "pass")]);
    expect(report.checks[0]).toMatchObject({ status: "unknown", summary: "check crashed: boom" });
    expect(report.verdict.status).toBe("unknown");
  });

  it("carries the header fields of the snapshot", () => {
    const report = evaluate(healthyInterfaceSnapshot(), []);
    expect(report).toMatchObject({
      endpointId: "vpce-0a1b2c3d4e5f60718",
      region: "us-east-1",
      account: { id: "111122223333", alias: "prod" },
      serviceName: "com.amazonaws.us-east-1.ssm",
      endpointType: "Interface",
    });
  });
});

describe("the declared preamble (runCheck)", () => {
  const interfaceOnly: Check = {
    id: "interface-only",
    title: "interface only",
    appliesTo: ["Interface"],
    notApplicable: "it has no network interfaces",
    needs: ["networkAcls"],
    docs: "",
    run: () => ({ status: "pass", summary: "ran", findings: [] }),
  };

  it("runs the check when the endpoint's type applies and its inputs are there", () => {
    expect(runCheck(interfaceOnly, healthyInterfaceSnapshot()).summary).toBe("ran");
  });

  it("skips another endpoint type, saying why", () => {
    const outcome = runCheck(interfaceOnly, healthyGatewaySnapshot());
    expect(outcome.status).toBe("skip");
    expect(outcome.summary).toMatch(/is a Gateway endpoint: it has no network interfaces$/);
  });

  it("is unknown, naming the refused action, when a needed field has a gap", () => {
    const snapshot = healthyInterfaceSnapshot();
    snapshot.networkAcls = undefined;
    snapshot.gaps.push({
      source: "networkAcls",
      iamAction: "ec2:DescribeNetworkAcls",
      error: "AccessDenied",
      message: "not authorized",
    });
    const outcome = runCheck(interfaceOnly, snapshot);
    expect(outcome.status).toBe("unknown");
    expect(outcome.summary).toContain("ec2:DescribeNetworkAcls denied");
  });

  it("skips without an endpoint, or is unknown when the endpoint could not be read", () => {
    const missing = healthyInterfaceSnapshot();
    missing.endpoint = null;
    expect(runCheck(interfaceOnly, missing).status).toBe("skip");
    missing.gaps.push({
      source: "endpoint",
      iamAction: "ec2:DescribeVpcEndpoints",
      error: "AccessDenied",
      message: "x",
    });
    expect(runCheck(interfaceOnly, missing).status).toBe("unknown");
  });
});
