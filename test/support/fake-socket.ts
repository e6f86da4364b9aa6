// A local Socket Mode endpoint: what Slack's wss://wss-primary.slack.com does for an app, on 127.0.0.1.
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";

/** What the app answered to one envelope: the ack Bolt sends back over the socket. */
export interface SocketAck {
  envelope_id: string;
  payload?: unknown;
}

/** The running server; the fake Web API's apps.connections.open hands out `url`. */
export interface FakeSocket {
  url: string;
  /** Resolves once an app has connected and been greeted with `hello`. */
  connected(): Promise<void>;
  /** Resolves once the connected app has closed its socket. */
  disconnected(): Promise<void>;
  /** Sends an envelope of `type` (`slash_commands`, `interactive`, `events_api`) and resolves with its ack. */
  send(type: string, payload: Record<string, unknown>, timeoutMs?: number): Promise<SocketAck>;
  close(): Promise<void>;
}

/** Starts the server on a free 127.0.0.1 port. */
export async function startFakeSocket(): Promise<FakeSocket> {
  const server = new WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  const { port } = server.address() as AddressInfo;
  const waiting = new Map<string, (ack: SocketAck) => void>();
  let socket: WebSocket | undefined;
  let greeted: () => void = () => {};
  let gone: () => void = () => {};
  const bye = new Promise<void>((resolve) => {
    gone = resolve;
  });
  const hello = new Promise<void>((resolve) => {
    greeted = resolve;
  });
  server.on("connection", (ws) => {
    socket = ws;
    ws.on("close", () => gone());
    ws.on("message", (data) => {
      const ack = JSON.parse(String(data)) as SocketAck;
      waiting.get(ack.envelope_id)?.(ack);
    });
    ws.send(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        debug_info: { host: "fake", approximate_connection_time: 3600 },
        connection_info: { app_id: "A0FAKE" },
      }),
    );
    greeted();
  });
  return {
    url: `ws://127.0.0.1:${port}/link`,
    connected: () => hello,
    disconnected: () => bye,
    send(type, payload, timeoutMs = 3000) {
      const envelopeId = randomUUID();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no ack for ${type} within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiting.set(envelopeId, (ack) => {
          clearTimeout(timer);
          resolve(ack);
        });
        if (!socket) return reject(new Error("no app connected"));
        socket.send(
          JSON.stringify({ envelope_id: envelopeId, type, payload, accepts_response_payload: true }),
        );
      });
    },
    async close() {
      for (const client of server.clients) client.terminate();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
