import type { App, RespondFn } from "@slack/bolt";
import type { AccountConfig } from "../../config/schema.js";
import type { DiagnosisRequest } from "../../diagnosis/request.js";
import { userMention } from "../../render/slack.js";
import { renderFailure } from "../../render/slack-answers.js";
import type { SlackMessage } from "../../render/slack-types.js";
import { resolveAccess } from "../access.js";
import { chooseAccount } from "../authorize.js";
import type { SlackContext } from "../context.js";
import { describeFailure } from "../failures.js";
import { parseVpceCommand } from "./parse.js";
import { VPCE_USAGE, type VpceCommand } from "./vpce-command.js";

const HELP = [
  "*vpce-doctor* diagnoses a broken VPC endpoint and posts the most likely cause with the fix.",
  `\`${VPCE_USAGE}\``,
  "• `/vpce diagnose vpce-0a1b2c3d4e5f60718 us-east-1` — the region may be left out when the account has a default",
  "• `--account prod` — needed only when this channel may diagnose several accounts and the endpoint is in more than one",
  "• `--from 10.0.3.25` (or `i-…`, `eni-…`, `subnet-…`, `sg-…`) — the client that cannot connect",
  "• `--window 24h` — look back from 1m to 24h (default 1h)",
  "• `/vpce vpce-0a1b2c3d4e5f60718` — the same as `/vpce diagnose vpce-0a1b2c3d4e5f60718`",
  "• `/vpce accounts` — the accounts this channel may diagnose",
].join("\n");

type Diagnose = Extract<VpceCommand, { kind: "diagnose" }>;

/** Registers `/vpce`: acks at once (errors and refusals included), then diagnoses and posts the thread. */
export function registerVpceCommand(app: App, ctx: SlackContext): void {
  app.command("/vpce", async ({ command, ack, respond, client }) => {
    const parsed = parseVpceCommand(command.text ?? "", ctx.isKnownRegion);
    if (parsed.kind === "error") {
      await ack({ response_type: "ephemeral", text: `${parsed.message}\nUsage: \`${VPCE_USAGE}\`` });
      return;
    }
    if (parsed.kind === "help") {
      await ack({ response_type: "ephemeral", text: HELP });
      return;
    }
    const access = await resolveAccess(
      ctx.config,
      client,
      ctx.userGroups,
      command.channel_id,
      command.user_id,
      ctx.logger,
    );
    if (!access.ok) {
      await ack({ response_type: "ephemeral", text: `vpce-doctor: ${access.refusal}` });
      return;
    }
    if (parsed.kind === "accounts") {
      await ack({ response_type: "ephemeral", text: accountsText(access.allowed) });
      return;
    }
    const plan = planDiagnosis(parsed, access.allowed);
    if ("error" in plan) {
      ctx.logger.warn(
        { channel: command.channel_id, user: command.user_id, account: parsed.account },
        `refused: ${plan.error}`,
      );
      await ack({ response_type: "ephemeral", text: `vpce-doctor: ${plan.error}\nUsage: \`${VPCE_USAGE}\`` });
      return;
    }
    const requester = command.user_id;
    const trigger = `${userMention(command.user_id)} via /vpce`;
    if ("account" in plan) {
      await ack({ response_type: "ephemeral", text: diagnosingText(plan.request, plan.account) });
      await run(
        ctx,
        client,
        respond,
        command.channel_id,
        { ...plan.request, requester },
        plan.account,
        trigger,
      );
      return;
    }
    await ack({
      response_type: "ephemeral",
      text: `Looking for ${parsed.endpointId} in ${plan.region} in ${plan.candidates.map((a) => a.alias).join(", ")}...`,
    });
    const located = await ctx.aws.locate(parsed.endpointId, plan.region, plan.candidates, requester);
    if (located.found.length !== 1) {
      const where = plan.candidates.map((a) => a.alias).join(", ");
      const failed = located.failed.map((f) => `${f.alias} (${f.message})`).join("; ");
      const text =
        located.found.length === 0
          ? `vpce-doctor: ${parsed.endpointId} is in none of ${where} in ${plan.region}${failed ? `; could not search ${failed}` : ""}. Check the id and the region, or name the account with --account.`
          : `vpce-doctor: ${parsed.endpointId} exists in ${located.found.map((a) => a.alias).join(" and ")}: name one with --account.`;
      await respond({ response_type: "ephemeral", text });
      return;
    }
    const account = located.found[0]!;
    const request = requestFor(parsed, plan.region, account);
    await respond({ response_type: "ephemeral", text: diagnosingText(request, account) });
    await run(ctx, client, respond, command.channel_id, { ...request, requester }, account, trigger);
  });
}

type Plan =
  | { error: string }
  | { request: DiagnosisRequest; account: AccountConfig | undefined }
  | { candidates: AccountConfig[]; region: string };

function planDiagnosis(parsed: Diagnose, allowed: AccountConfig[] | "ambient"): Plan {
  const choice = chooseAccount(allowed, parsed.account);
  if ("error" in choice) return { error: choice.error };
  if ("ambient" in choice) {
    if (!parsed.region) return { error: "give the region: /vpce diagnose <vpce-id> <region>" };
    return { request: requestFor(parsed, parsed.region, undefined), account: undefined };
  }
  if ("account" in choice) {
    const region = parsed.region ?? choice.account.region;
    if (!region) return { error: `give the region: account ${choice.account.alias} has no default region` };
    return { request: requestFor(parsed, region, choice.account), account: choice.account };
  }
  const regions = new Set(choice.needsLookup.map((a) => a.region));
  const region = parsed.region ?? (regions.size === 1 ? [...regions][0] : undefined);
  if (!region)
    return { error: "give the region: the accounts of this channel have different default regions" };
  return { candidates: choice.needsLookup, region };
}

function requestFor(parsed: Diagnose, region: string, account: AccountConfig | undefined): DiagnosisRequest {
  return {
    endpointId: parsed.endpointId,
    region,
    account: account?.alias,
    source: parsed.source,
    ...(parsed.ports ? { ports: parsed.ports } : {}),
    windowHours: parsed.windowHours,
    requester: "",
  };
}

function diagnosingText(request: DiagnosisRequest, account: AccountConfig | undefined): string {
  return `Diagnosing ${request.endpointId} in ${request.region}${account ? ` (${account.alias})` : ""}...`;
}

function accountsText(allowed: AccountConfig[] | "ambient"): string {
  if (allowed === "ambient")
    return "This channel diagnoses with vpce-doctor's own AWS credentials (no accounts file is configured).";
  const lines = allowed.map(
    (a) => `• *${a.alias}* — ${a.id}${a.region ? `, default region ${a.region}` : ""}`,
  );
  return `This channel may diagnose:\n${lines.join("\n")}`;
}

async function run(
  ctx: SlackContext,
  client: Parameters<Parameters<App["command"]>[1]>[0]["client"],
  respond: RespondFn,
  channel: string,
  request: DiagnosisRequest,
  account: AccountConfig | undefined,
  trigger: string,
): Promise<void> {
  const tell = (message: SlackMessage) =>
    respond({ response_type: "ephemeral", replace_original: false, ...message } as never).then(() => {});
  try {
    await ctx.flow.forCommand(client, channel, request, account, trigger, tell);
  } catch (error) {
    const message = describeFailure(error);
    ctx.logger.error({ channel, endpointId: request.endpointId, err: message }, "diagnosis or post failed");
    const slack = String((error as { code?: unknown })?.code ?? "").startsWith("slack_");
    await tell(renderFailure(request.endpointId, message, slack ? "post" : "diagnose")).catch(
      (respondError: unknown) => ctx.logger.error({ err: String(respondError) }, "response_url failed too"),
    );
  }
}
