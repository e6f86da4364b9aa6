import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { readOnlyPolicyDocument } from "../src/aws/actions.js";

// Writes deploy/iam-policy.json and the inline policy of deploy/target-account-role.yaml from READ_ACTIONS.

export const IAM_POLICY_FILE = fileURLToPath(new URL("../deploy/iam-policy.json", import.meta.url));
export const TARGET_TEMPLATE_FILE = fileURLToPath(
  new URL("../deploy/target-account-role.yaml", import.meta.url),
);

export const BEGIN_MARKER = "# BEGIN generated from READ_ACTIONS";
export const END_MARKER = "# END generated from READ_ACTIONS";

export function renderIamPolicy(): string {
  return `${JSON.stringify(readOnlyPolicyDocument(), null, 2)}\n`;
}

// YAML 1.1 quoting, as CloudFormation reads it: "2012-10-17" stays a string, not a date.
export function renderPolicyBlock(indent: string): string[] {
  const yaml = stringify(readOnlyPolicyDocument(), { version: "1.1", indent: 2, lineWidth: 0 });
  return yaml
    .trimEnd()
    .split("\n")
    .map((line) => `${indent}${line}`);
}

// The template with the lines between the two markers replaced by the policy at the BEGIN marker's indent.
export function withGeneratedPolicy(template: string): string {
  const lines = template.split("\n");
  const begin = lines.findIndex((line) => line.trimStart().startsWith(BEGIN_MARKER));
  const end = lines.findIndex((line, index) => index > begin && line.trimStart().startsWith(END_MARKER));
  if (begin < 0 || end < 0)
    throw new Error(`the template lacks the "${BEGIN_MARKER}" / "${END_MARKER}" lines`);
  const indent = /^\s*/.exec(lines[begin]!)![0];
  return [...lines.slice(0, begin + 1), ...renderPolicyBlock(indent), ...lines.slice(end)].join("\n");
}

function main(): void {
  writeFileSync(IAM_POLICY_FILE, renderIamPolicy());
  console.log("wrote deploy/iam-policy.json");
  writeFileSync(TARGET_TEMPLATE_FILE, withGeneratedPolicy(readFileSync(TARGET_TEMPLATE_FILE, "utf8")));
  console.log("refreshed the inline policy of deploy/target-account-role.yaml");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
