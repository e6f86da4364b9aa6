// Counts every Slack Web API error, whichever listener or flow made the call, at the one place all responses pass.
import { type AxiosAdapter, getAdapter, type InternalAxiosRequestConfig } from "axios";
import type { Metrics } from "../observe/metrics.js";

// Slack's Web API client is built on axios; its `adapter` option sees every HTTP response (retries included)
// before the client parses it, so nothing a listener catches, retries or ignores escapes the count.

/** The Web API method of a request URL (`https://slack.com/api/chat.postMessage` -> `chat.postMessage`). */
export function slackMethodOf(url: string | undefined): string {
  const match = /\/api\/([\w.]+)/.exec(url ?? "");
  return match?.[1] ?? "unknown";
}

/** The error a Web API response carries: `ratelimited`, `http_<status>`, or Slack's `error` when ok is false. */
export function slackErrorOf(status: number, data: unknown): string | undefined {
  if (status === 429) return "ratelimited";
  if (status >= 400) return `http_${status}`;
  const body =
    typeof data === "string"
      ? safeJson(data)
      : Buffer.isBuffer(data)
        ? safeJson(data.toString("utf8"))
        : data;
  const answer = body as { ok?: unknown; error?: unknown } | undefined;
  if (answer?.ok === false)
    return typeof answer.error === "string" ? answer.error.slice(0, 64) : "unknown_error";
  return undefined;
}

/** An axios adapter doing what the default one does, reporting each error response or transport failure. */
export function slackErrorCounter(metrics: Metrics): AxiosAdapter {
  const send = getAdapter(["http", "fetch"]);
  return async (config: InternalAxiosRequestConfig) => {
    const method = slackMethodOf(config.url);
    try {
      const response = await send(config);
      const error = slackErrorOf(response.status, response.data);
      if (error) metrics.slackError(method, error);
      return response;
    } catch (error) {
      metrics.slackError(method, (error as { code?: string }).code ?? "request_failed");
      throw error;
    }
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
