import { readFileSync } from "node:fs";

/** The text of test/fixtures/alarms/<name>. */
export function fixtureText(name: string): string {
  return readFileSync(new URL(`../fixtures/alarms/${name}`, import.meta.url), "utf8");
}

/** test/fixtures/alarms/<name>, parsed. */
export function fixture(name: string): Record<string, unknown> {
  return JSON.parse(fixtureText(name)) as Record<string, unknown>;
}

/** The CloudWatch notification inside an SNS envelope fixture. */
export function innerMessage(name: string): Record<string, unknown> {
  return JSON.parse(fixture(name).Message as string) as Record<string, unknown>;
}
