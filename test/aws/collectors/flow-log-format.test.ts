// biome-ignore-all lint/suspicious/noTemplateCurlyInString: flow-log formats use AWS placeholders, not templates
import { describe, expect, it } from "vitest";
import {
  DEFAULT_FLOW_LOG_FORMAT,
  flowLogFields,
  parseFlowLogLine,
  parseWithAnyFormat,
} from "../../../src/aws/collectors/flow-log-format.js";

const DEFAULT = flowLogFields(undefined);

describe("flowLogFields", () => {
  it("uses the version 2 default format when the flow log has none", () => {
    expect(DEFAULT).toEqual([
      "version",
      "account-id",
      "interface-id",
      "srcaddr",
      "dstaddr",
      "srcport",
      "dstport",
      "protocol",
      "packets",
      "bytes",
      "start",
      "end",
      "action",
      "log-status",
    ]);
    expect(flowLogFields("   ")).toEqual(DEFAULT);
    expect(flowLogFields(DEFAULT_FLOW_LOG_FORMAT)).toEqual(DEFAULT);
  });

  it("reads a custom format in its own order", () => {
    expect(flowLogFields("${interface-id}  ${action} ${pkt-srcaddr} ${tcp-flags}")).toEqual([
      "interface-id",
      "action",
      "pkt-srcaddr",
      "tcp-flags",
    ]);
  });
});

describe("parseFlowLogLine", () => {
  it("parses a default-format REJECT record", () => {
    const line =
      "2 111122223333 eni-0aaaaaaaaaaaaaaa1 10.0.3.15 10.0.1.10 49152 443 6 3 180 1700000000 1700000060 REJECT OK";
    const parsed = parseFlowLogLine(line, DEFAULT);
    expect(parsed?.record).toEqual({
      raw: line,
      interfaceId: "eni-0aaaaaaaaaaaaaaa1",
      srcAddr: "10.0.3.15",
      dstAddr: "10.0.1.10",
      srcPort: 49152,
      dstPort: 443,
      protocol: 6,
      action: "REJECT",
      start: 1700000000,
    });
    expect(parsed?.logStatus).toBe("OK");
    expect(parsed?.values.bytes).toBe("180");
  });

  it("parses a custom format, whatever the field order", () => {
    const fields = flowLogFields(
      "${start} ${action} ${dstport} ${srcaddr} ${dstaddr} ${interface-id} ${flow-direction}",
    );
    const parsed = parseFlowLogLine(
      "1700000000 REJECT 443 10.0.3.15 10.0.1.10 eni-0aaaaaaaaaaaaaaa1 ingress",
      fields,
    );
    expect(parsed?.record).toMatchObject({
      start: 1700000000,
      action: "REJECT",
      dstPort: 443,
      srcAddr: "10.0.3.15",
      dstAddr: "10.0.1.10",
      interfaceId: "eni-0aaaaaaaaaaaaaaa1",
    });
    expect(parsed?.record.protocol).toBeUndefined();
    expect(parsed?.values["flow-direction"]).toBe("ingress");
    expect(parsed?.logStatus).toBeUndefined();
  });

  it("leaves '-' values out", () => {
    const parsed = parseFlowLogLine(
      "2 111122223333 eni-0aaaaaaaaaaaaaaa1 10.0.3.15 10.0.1.10 - - 1 4 336 1700000000 1700000060 REJECT OK",
      DEFAULT,
    );
    expect(parsed?.record.srcPort).toBeUndefined();
    expect(parsed?.record.dstPort).toBeUndefined();
    expect(parsed?.record.protocol).toBe(1);
    expect(parsed?.values).not.toHaveProperty("srcport");
  });

  it("parses NODATA and SKIPDATA records without an action", () => {
    for (const status of ["NODATA", "SKIPDATA"]) {
      const line = `2 111122223333 eni-0aaaaaaaaaaaaaaa1 - - - - - - - 1700000000 1700000060 - ${status}`;
      const parsed = parseFlowLogLine(line, DEFAULT);
      expect(parsed?.logStatus).toBe(status);
      expect(parsed?.record).toEqual({ raw: line, interfaceId: "eni-0aaaaaaaaaaaaaaa1", start: 1700000000 });
    }
  });

  it("refuses a line with the wrong number of values, or an empty one", () => {
    expect(parseFlowLogLine("2 111122223333 eni-0aaaaaaaaaaaaaaa1 REJECT", DEFAULT)).toBeUndefined();
    expect(parseFlowLogLine("   ", DEFAULT)).toBeUndefined();
  });

  it("ignores surrounding whitespace and repeated spaces", () => {
    const parsed = parseFlowLogLine(
      "  eni-0aaaaaaaaaaaaaaa1   REJECT \n",
      flowLogFields("${interface-id} ${action}"),
    );
    expect(parsed?.record).toEqual({
      raw: "eni-0aaaaaaaaaaaaaaa1   REJECT",
      interfaceId: "eni-0aaaaaaaaaaaaaaa1",
      action: "REJECT",
    });
  });
});

describe("parseWithAnyFormat", () => {
  it("uses the first format whose field count fits the line", () => {
    const short = flowLogFields("${interface-id} ${action}");
    const line =
      "2 111122223333 eni-0aaaaaaaaaaaaaaa1 10.0.3.15 10.0.1.10 49152 443 6 3 180 1700000000 1700000060 REJECT OK";
    expect(parseWithAnyFormat(line, [short, DEFAULT])?.record.dstPort).toBe(443);
    expect(parseWithAnyFormat("eni-0aaaaaaaaaaaaaaa1 ACCEPT", [DEFAULT, short])?.record.action).toBe(
      "ACCEPT",
    );
    expect(parseWithAnyFormat("a b c", [DEFAULT, short])).toBeUndefined();
  });
});
