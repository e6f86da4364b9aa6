import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

// manifest.yml against Slack's official app-manifest JSON schema (test/fixtures/slack, MIT, see its licence).

// sha256 of the files as copied from ../shared/slack; a change means someone edited Slack's schema.
const PUBLISHED = {
  "LICENSE.manifest-schema": "29e1113941e13327ffe65236505c5030cda5aa78c46fde4ff1d0e15537b8b6a5",
  "manifest.schema.1.0.0.json": "f2adf9f9800230e2fe44bab0762796492871edaab817e9160fdcdf0eb4642e58",
  "manifest.schema.2.0.0.json": "a9da8db3eb8cb48ca479fe17e711181a247e27f75ea94f90948dbe5b7910e029",
  "manifest.valid.example.json": "4a94c166e2a3d877629889c316707b16c4b49fcdd58841f87f4f825422e80306",
};

const root = new URL("../", import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), "utf8");

interface Manifest {
  _metadata?: { major_version?: number; minor_version?: number };
  display_information?: { name?: string };
  features?: {
    bot_user?: { display_name?: string; always_online?: boolean };
    slash_commands?: { command: string; usage_hint?: string; url?: string; should_escape?: boolean }[];
  };
  oauth_config?: { scopes?: { bot?: string[]; user?: string[] } };
  settings?: {
    interactivity?: { is_enabled?: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
  };
}

function validatorFor(majorVersion: number): ValidateFunction {
  const schema = JSON.parse(read(`test/fixtures/slack/manifest.schema.${majorVersion}.0.0.json`)) as {
    $schema?: string;
  };
  // Both schemas declare draft-07, Ajv's default draft; a newer draft would need ajv/dist/2019 or 2020.
  expect(schema.$schema).toBe("http://json-schema.org/draft-07/schema#");
  const ajv = new Ajv({ strict: false, allErrors: true });
  ajv.addFormat("uri", /^[a-z][a-z\d+.-]*:\S*$/i);
  // Slack's schema spells one pattern "regex" (background_color); enforce it as Slack means it.
  ajv.addKeyword({
    keyword: "regex",
    type: "string",
    schemaType: "string",
    validate: (pattern: string, data: string) => new RegExp(pattern).test(data),
  });
  return ajv.compile(schema);
}

function validate(manifest: unknown): ErrorObject[] {
  const major = (manifest as Manifest)._metadata?.major_version ?? 1;
  const check = validatorFor(major);
  return check(manifest) ? [] : (check.errors ?? []);
}

const manifest = parse(read("manifest.yml")) as Manifest;
const clone = (): Manifest => structuredClone(manifest);

describe("manifest.yml", () => {
  it("is a 1.x manifest, valid against Slack's schema for its major version", () => {
    expect(manifest._metadata).toEqual({ major_version: 1, minor_version: 1 });
    const errors = validate(manifest);
    expect(errors, JSON.stringify(errors, null, 2)).toEqual([]);
  });

  it("asks for exactly the six bot scopes the bot uses, and no user scopes", () => {
    expect(manifest.oauth_config?.scopes?.bot?.toSorted()).toEqual([
      "channels:history",
      "chat:write",
      "commands",
      "files:write",
      "groups:history",
      "usergroups:read",
    ]);
    expect(Object.keys(manifest.oauth_config?.scopes ?? {})).toEqual(["bot"]);
  });

  it("declares /vpce with a usage hint, and interactivity on the same URL", () => {
    expect(manifest.display_information?.name).toBe("vpce-doctor");
    expect(manifest.features?.bot_user).toEqual({ display_name: "vpce-doctor", always_online: true });
    expect(manifest.features?.slash_commands).toEqual([
      {
        command: "/vpce",
        description: expect.any(String),
        usage_hint:
          "diagnose <vpce-id> [region] [--account alias] [--from source] [--window 1m..24h] | accounts | help",
        url: "https://vpce-doctor.example.com/slack/events",
        should_escape: false,
      },
    ]);
    expect(manifest.settings?.interactivity).toEqual({
      is_enabled: true,
      request_url: "https://vpce-doctor.example.com/slack/events",
    });
    expect(manifest.settings?.socket_mode_enabled).toBe(false);
  });

  it("validates Slack's own example manifest (the schema and validator agree with Slack)", () => {
    expect(validate(JSON.parse(read("test/fixtures/slack/manifest.valid.example.json")))).toEqual([]);
  });

  it("rejects a manifest without display_information.name", () => {
    const broken = clone();
    delete broken.display_information!.name;
    expect(validate(broken)).toContainEqual(
      expect.objectContaining({ keyword: "required", params: { missingProperty: "name" } }),
    );
  });

  it("rejects a command without the slash, an unknown key and a malformed colour", () => {
    const broken = clone() as Manifest & { settings: Record<string, unknown> };
    broken.features!.slash_commands![0]!.command = "vpce";
    broken.settings.socket_mode = true;
    (broken.display_information as Record<string, unknown>).background_color = "#zzzzzz";
    const keywords = validate(broken).map((error) => `${error.instancePath} ${error.keyword}`);
    expect(keywords).toEqual(
      expect.arrayContaining([
        "/features/slash_commands/0/command pattern",
        "/settings additionalProperties",
        "/display_information/background_color regex",
      ]),
    );
  });

  it("keeps Slack's schema files and their licence byte for byte as published", () => {
    const digests = Object.fromEntries(
      Object.keys(PUBLISHED).map((name) => [
        name,
        createHash("sha256")
          .update(readFileSync(new URL(`test/fixtures/slack/${name}`, root)))
          .digest("hex"),
      ]),
    );
    expect(digests).toEqual(PUBLISHED);
  });
});
