import { describe, expect, it } from "vitest";
import { RequestError } from "../../src/diagnosis/request.js";
import { parseAlias } from "../../src/slack/alias.js";

describe("parseAlias", () => {
  it.each(["prod", "Prod_2", "a", "9-lives", `a${"b".repeat(62)}`])("accepts %s", (alias) => {
    expect(parseAlias(alias)).toBe(alias);
  });
  it("trims surrounding spaces", () => {
    expect(parseAlias(" prod ")).toBe("prod");
  });
  it.each(["", "-prod", "_prod", "pr od", "prod!", "a|b", `a${"b".repeat(63)}`])(
    "rejects %j in one line",
    (alias) => {
      expect(() => parseAlias(alias)).toThrow(RequestError);
      expect(() => parseAlias(alias)).toThrow(
        /is not an account alias: aliases are letters, digits, - and _/,
      );
    },
  );
});
