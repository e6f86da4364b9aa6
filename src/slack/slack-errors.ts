// Counts every Slack Web API error, whichever listener or flow made the call, at the one place all responses pass.
import type { webApi } from "@slack/bolt";
import type { Metrics } from "../observe/metrics.js";

// Slack's Web API client (v8) sends every request through its `fetch` option: wrapping it sees every HTTP
// response (retries included) before the client parses it, so nothing a listener catches, retries or ignores
// escapes the count.

type FetchFunction = NonNullable<webApi.WebClientOptions["fetch"]>;

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

/** A `fetch` doing what the client's default does, reporting each error answer or transport failure. */
export function slackErrorCounter(metrics: Metrics, send: FetchFunction = globalThis.fetch): FetchFunction {
  return async (url, init) => {
    const method = slackMethodOf(String(url));
    let response: Awaited<ReturnType<FetchFunction>>;
    try {
      response = await send(url, init);
    } catch (error) {
      metrics.slackError(method, transportError(error));
      throw error;
    }
    const error = await errorOfResponse(response);
    if (error) metrics.slackError(method, error);
    return response;
  };
}

/** Reads a copy of the body when the response could carry `ok: false`, leaving the original for the client. */
async function errorOfResponse(response: Awaited<ReturnType<FetchFunction>>): Promise<string | undefined> {
  if (response.status !== 200) return slackErrorOf(response.status, "");
  const copy = (response as unknown as { clone?: () => { text(): Promise<string> } }).clone?.();
  if (!copy) return undefined;
  return slackErrorOf(200, await copy.text().catch(() => ""));
}

function transportError(error: unknown): string {
  const name = (error as { name?: string })?.name;
  if (name === "TimeoutError" || name === "AbortError") return "timeout";
  const code = (error as { cause?: { code?: string } })?.cause?.code;
  return code ?? "request_failed";
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
