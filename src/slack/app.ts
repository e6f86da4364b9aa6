import type { IncomingMessage, ServerResponse } from "node:http";
import { App, type CustomRoute, HTTPReceiver, type webApi } from "@slack/bolt";
import type { InFlight } from "../lifecycle/in-flight.js";
import { registerReportActions } from "./actions/report-actions.js";
import { boltLogger } from "./bolt-logger.js";
import { registerVpceCommand } from "./commands/vpce.js";
import type { SlackContext } from "./context.js";
import { guardSlackEvents } from "./events-guard.js";
import { dropRepeats } from "./replays.js";
import type { SlackSettings } from "./settings.js";
import { slackErrorCounter } from "./slack-errors.js";

/** How long one Web API request may take before it is abandoned (and retried within the budget). */
export const SLACK_REQUEST_TIMEOUT_MS = 10_000;

/**
 * How long a failing post is retried in all: about a minute, so the requester hears of a post that cannot be made
 * while the incident is still on (the client's default keeps trying for about 30 minutes).
 */
export const SLACK_RETRY_BUDGET_MS = 60_000;

/** The Web API client's options: the base URL, a request timeout, a one-minute retry budget, and error counting. */
export function slackClientOptions(
  settings: Pick<SlackSettings, "apiUrl">,
  metrics: SlackContext["metrics"],
): webApi.WebClientOptions {
  return {
    ...(settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {}),
    timeout: SLACK_REQUEST_TIMEOUT_MS,
    retryConfig: {
      retries: 6,
      factor: 2,
      minTimeout: 1_000,
      maxTimeout: 15_000,
      randomize: true,
      maxRetryTime: SLACK_RETRY_BUDGET_MS,
    },
    ...(metrics ? { fetch: slackErrorCounter(metrics) } : {}),
  };
}

/** GET /healthz: 200 while the process takes work, 503 once it drains (container and load-balancer checks). */
function healthz(work: InFlight | undefined) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    const draining = work?.draining ?? false;
    res.writeHead(draining ? 503 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify(draining ? { ok: false, draining: true } : { ok: true }));
  };
}

/** GET /metrics: the Prometheus text exposition. */
function metricsRoute(page: () => Promise<string>, logger: SlackContext["logger"]) {
  return async (_req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      const text = await page();
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" });
      res.end(text);
    } catch (error) {
      logger.error({ err: (error as Error).message }, "could not render /metrics");
      res.writeHead(500).end();
    }
  };
}

/** Bolt's HTTP receiver with the events guard in front of it (body cap, signature both ways, payload shape). */
function guardedReceiver(
  signingSecret: string,
  ctx: SlackContext,
  customRoutes: CustomRoute[],
): HTTPReceiver {
  const receiver = new HTTPReceiver({ signingSecret, customRoutes, logger: boltLogger(ctx.logger) });
  receiver.requestListener = guardSlackEvents(receiver.requestListener, {
    signingSecret,
    logger: ctx.logger.child({ component: "slack-events" }),
  });
  return receiver;
}

/**
 * The Bolt app: HTTP mode on one server (`/slack/events` and `/healthz`), or Socket Mode when an app
 * token is set (then `/healthz` is served on PORT by Bolt's small HTTP server).
 */
export function createSlackApp(
  settings: SlackSettings,
  ctx: SlackContext,
  extraRoutes: CustomRoute[] = [],
): App {
  const routes: CustomRoute[] = [
    { path: "/healthz", method: ["GET"], handler: healthz(ctx.work) },
    ...(ctx.metricsPage
      ? [{ path: "/metrics", method: ["GET"], handler: metricsRoute(ctx.metricsPage, ctx.logger) }]
      : []),
    ...extraRoutes,
  ];
  const common = {
    token: settings.botToken,
    logger: boltLogger(ctx.logger),
    clientOptions: slackClientOptions(settings, ctx.metrics),
    customRoutes: routes,
    // The bot keeps no per-conversation state in Bolt: skip its conversation store on every request.
    convoStore: false as const,
  };
  const app = settings.appToken
    ? new App({
        ...common,
        appToken: settings.appToken,
        socketMode: true,
        installerOptions: { port: settings.port },
      })
    : new App({ ...common, receiver: guardedReceiver(settings.signingSecret ?? "", ctx, routes) });
  // First middleware: every listener run (the ack and the diagnosis and posts after it) counts as in flight.
  const work = ctx.work;
  if (work) app.use(async ({ next }) => work.track(next()));
  app.use(dropRepeats(ctx.store, ctx.logger));
  registerVpceCommand(app, ctx);
  registerReportActions(app, ctx);
  app.error(async (error) => {
    ctx.logger.error({ err: error.message, code: (error as { code?: string }).code }, "unhandled Bolt error");
  });
  return app;
}
