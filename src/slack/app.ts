import type { IncomingMessage, ServerResponse } from "node:http";
import { App, type CustomRoute } from "@slack/bolt";
import { registerReportActions } from "./actions/report-actions.js";
import { boltLogger } from "./bolt-logger.js";
import { registerVpceCommand } from "./commands/vpce.js";
import type { SlackContext } from "./context.js";
import type { SlackSettings } from "./settings.js";

/** GET /healthz: 200 while the process serves requests (container and load-balancer health checks). */
function healthz(_req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify({ ok: true }));
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
  const routes: CustomRoute[] = [{ path: "/healthz", method: ["GET"], handler: healthz }, ...extraRoutes];
  const common = {
    token: settings.botToken,
    logger: boltLogger(ctx.logger),
    clientOptions: settings.apiUrl ? { slackApiUrl: settings.apiUrl } : {},
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
    : new App({ ...common, signingSecret: settings.signingSecret });
  registerVpceCommand(app, ctx);
  registerReportActions(app, ctx);
  app.error(async (error) => {
    ctx.logger.error({ err: error.message, code: (error as { code?: string }).code }, "unhandled Bolt error");
  });
  return app;
}
