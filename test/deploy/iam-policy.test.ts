import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { IAM_POLICY_FILE, renderIamPolicy } from "../../scripts/make-iam-policy.js";
import { READ_ACTIONS, readOnlyPolicyDocument } from "../../src/aws/actions.js";

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
