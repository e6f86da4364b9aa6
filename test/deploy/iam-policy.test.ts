import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  IAM_POLICY_FILE,
  IAM_PROBE_POLICY_FILE,
  renderIamPolicy,
  renderIamProbePolicy,
} from "../../scripts/make-iam-policy.js";
import { PROBE_ACTIONS, READ_ACTIONS, readOnlyPolicyDocument } from "../../src/aws/actions.js";

// deploy/iam-policy.json must be readOnlyPolicyDocument(), as scripts/make-iam-policy.ts writes it.

const text = readFileSync(IAM_POLICY_FILE, "utf8");
const policy = JSON.parse(text) as ReturnType<typeof readOnlyPolicyDocument>;
const actions = policy.Statement.flatMap((statement) => statement.Action);

describe("deploy/iam-policy.json", () => {
  it("is the policy READ_ACTIONS gives", () => {
    expect(policy, "iam-policy.json drifted from READ_ACTIONS: run npm run deploy:policy").toEqual(
      readOnlyPolicyDocument(),
    );
    expect(text, "iam-policy.json is not as generated: run npm run deploy:policy").toBe(renderIamPolicy());
  });

  it("grants every action in READ_ACTIONS and nothing else", () => {
    expect([...actions].sort()).toEqual([...READ_ACTIONS].sort());
    expect(policy.Statement.every((statement) => statement.Effect === "Allow")).toBe(true);
  });

  it("grants reads only, with no wildcard", () => {
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) {
      expect(action).toMatch(/^[a-z0-9-]+:(Describe|List|Get|Lookup|Filter|Search)[A-Za-z]*$/);
      expect(action).not.toContain("*");
    }
  });
});

describe("deploy/iam-probe-policy.json", () => {
  const probeText = readFileSync(IAM_PROBE_POLICY_FILE, "utf8");
  const probe = JSON.parse(probeText) as {
    Statement: {
      Action: string[];
      Resource: string | string[];
      Condition?: Record<string, Record<string, string>>;
    }[];
  };

  it("is the probe policy PROBE_ACTIONS gives, kept apart from the read-only one", () => {
    expect(probeText, "iam-probe-policy.json is not as generated: run npm run deploy:policy").toBe(
      renderIamProbePolicy(),
    );
    expect([...new Set(probe.Statement.flatMap((s) => s.Action))].sort()).toEqual([...PROBE_ACTIONS].sort());
    for (const action of PROBE_ACTIONS) expect(actions).not.toContain(action);
  });

  it("lets SendCommand run only the two AWS documents, and only on instances carrying the tag", () => {
    const send = probe.Statement.filter((s) => s.Action.includes("ssm:SendCommand"));
    expect(send.flatMap((s) => s.Resource)).toEqual([
      "arn:*:ssm:*::document/AWS-RunShellScript",
      "arn:*:ssm:*::document/AWS-RunPowerShellScript",
      "arn:*:ec2:*:*:instance/*",
    ]);
    const onInstances = send.find((s) => JSON.stringify(s.Resource).includes("instance"))!;
    expect(onInstances.Condition).toEqual({
      StringEquals: { "ssm:resourceTag/vpce-doctor-probe": "allowed" },
    });
    const unconditioned = probe.Statement.filter((s) => !s.Condition).flatMap((s) => s.Action);
    expect(unconditioned.filter((a) => a === "ssm:SendCommand")).toHaveLength(1);
  });
});
