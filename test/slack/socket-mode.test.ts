import { afterEach, describe, expect, it } from "vitest";
import { slashCommandBody, TEST_IDS } from "../support/slack-signing.js";
import { IDS } from "../support/snapshot-factory.js";
import { type Bot, startBot } from "./bot-harness.js";

// Socket Mode (SLACK_APP_TOKEN set): the real Bolt app opens its connection through apps.connections.open
// on the fake Web API, then takes envelopes over a local WebSocket and acks them on the same socket.

let bot: Bot;
afterEach(async () => bot?.stop());

/** The fields of a /vpce command as Socket Mode delivers them (JSON, not a form). */
function command(text: string, fields: Record<string, string> = {}): Record<string, unknown> {
  return Object.fromEntries(new URLSearchParams(slashCommandBody({ text, ...fields })));
}

describe("Socket Mode", () => {
  it("connects with the app token and acks a /vpce command over the socket, then posts the thread", async () => {
    bot = await startBot({ socketMode: true });
    const open = bot.fake.calls("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe("xapp-1-A0FAKE-1-test");

    const ack = await bot.socket!.send("slash_commands", command(`diagnose ${IDS.endpoint} us-east-1`));
    expect(JSON.stringify(ack.payload)).toMatch(/Diagnosing/);
    const root = await bot.fake.waitFor(
      (c) => c.method === "chat.postMessage" && !c.args.thread_ts && c.status === 200,
      5000,
    );
    expect(root.args.channel).toBe(TEST_IDS.channel);
    expect(root.token).toBe("xoxb-test-token");
  });

  it("refuses a command in a channel the config does not allow, in the ack itself", async () => {
    bot = await startBot({ socketMode: true });
    const ack = await bot.socket!.send(
      "slash_commands",
      command(`diagnose ${IDS.endpoint} us-east-1`, { channel_id: "C0999NOPE" }),
    );
    expect(ack.payload).toEqual({
      response_type: "ephemeral",
      text: "vpce-doctor: this channel (C0999NOPE) is not set up for /vpce: ask an admin to add it under channels: in the vpce-doctor config",
    });
    expect(bot.fake.calls("chat.postMessage")).toHaveLength(0);
  });

  it("still serves /healthz and /metrics on PORT", async () => {
    bot = await startBot({ socketMode: true });
    expect((await fetch(`${bot.baseUrl}/healthz`)).status).toBe(200);
    expect(await (await fetch(`${bot.baseUrl}/metrics`)).text()).toContain("vpce_doctor_queue_depth");
  });

  it("closes the socket when shutdown stops accepting work", async () => {
    bot = await startBot({ socketMode: true });
    await bot.stopAccepting();
    await bot.socket!.disconnected();
    await expect(fetch(`${bot.baseUrl}/healthz`)).rejects.toThrow();
  });
});
