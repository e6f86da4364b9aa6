import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";
import { stringify } from "yaml";
import { PROBE_TAG, probePolicyDocument, readOnlyPolicyDocument } from "../src/aws/actions.js";

// Writes deploy/iam-policy.json and the inline policy of deploy/target-account-role.yaml from READ_ACTIONS, and
// the opt-in probe's policy (deploy/iam-probe-policy.json and the template's conditional second policy).

export const IAM_POLICY_FILE = fileURLToPath(new URL("../deploy/iam-policy.json", import.meta.url));
export const TARGET_TEMPLATE_FILE = fileURLToPath(
  new URL("../deploy/target-account-role.yaml", import.meta.url),
);

export const IAM_PROBE_POLICY_FILE = fileURLToPath(
  new URL("../deploy/iam-probe-policy.json", import.meta.url),
);

export const BEGIN_MARKER = "# BEGIN generated from READ_ACTIONS";
export const END_MARKER = "# END generated from READ_ACTIONS";
export const PROBE_BEGIN_MARKER = "# BEGIN generated from PROBE_ACTIONS";
export const PROBE_END_MARKER = "# END generated from PROBE_ACTIONS";

// In the template the tag's value is the ProbeTagValue parameter; the key stays fixed (CloudFormation cannot
// compute a key of the Condition map).
const TAG_VALUE_SENTINEL = "__PROBE_TAG_VALUE__";

export function renderIamProbePolicy(): string {
  return `${JSON.stringify(probePolicyDocument(PROBE_TAG), null, 2)}\n`;
}

export function renderIamPolicy(): string {
  return `${JSON.stringify(readOnlyPolicyDocument(), null, 2)}\n`;
}

// YAML 1.1 quoting, as CloudFormation reads it: "2012-10-17" stays a string, not a date.
export function renderPolicyBlock(indent: string, document: object = readOnlyPolicyDocument()): string[] {
  const yaml = stringify(document, { version: "1.1", indent: 2, lineWidth: 0 });
  return yaml
    .trimEnd()
    .split("\n")
    .map((line) => `${indent}${line}`.replace(TAG_VALUE_SENTINEL, "!Ref ProbeTagValue"));
}

// The template with the lines between each pair of markers replaced by its policy at the BEGIN marker's indent.
export function withGeneratedPolicy(template: string): string {
  const probe = probePolicyDocument({ key: PROBE_TAG.key, value: TAG_VALUE_SENTINEL });
  const read = replaceBetween(template.split("\n"), BEGIN_MARKER, END_MARKER, readOnlyPolicyDocument());
  return replaceBetween(read, PROBE_BEGIN_MARKER, PROBE_END_MARKER, probe).join("\n");
}

function replaceBetween(lines: string[], beginMarker: string, endMarker: string, document: object): string[] {
  const begin = lines.findIndex((line) => line.trimStart().startsWith(beginMarker));
  const end = lines.findIndex((line, index) => index > begin && line.trimStart().startsWith(endMarker));
  if (begin < 0 || end < 0) throw new Error(`the template lacks the "${beginMarker}" / "${endMarker}" lines`);
  const indent = /^\s*/.exec(lines[begin]!)![0];
  return [...lines.slice(0, begin + 1), ...renderPolicyBlock(indent, document), ...lines.slice(end)];
}

function main(): void {
  writeFileSync(IAM_POLICY_FILE, renderIamPolicy());
  console.log("wrote deploy/iam-policy.json");
  writeFileSync(IAM_PROBE_POLICY_FILE, renderIamProbePolicy());
  console.log("wrote deploy/iam-probe-policy.json");
  writeFileSync(TARGET_TEMPLATE_FILE, withGeneratedPolicy(readFileSync(TARGET_TEMPLATE_FILE, "utf8")));
  console.log("refreshed the inline policy of deploy/target-account-role.yaml");
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) main();
