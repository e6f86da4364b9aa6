/** One line for the person who asked, from any failure of a diagnosis or of a Slack call. */
export function describeFailure(error: unknown): string {
  const e = error as { code?: string; data?: { error?: string }; message?: string };
  const slackError = e?.data?.error;
  if (slackError === "not_in_channel" || slackError === "channel_not_found") {
    return "vpce-doctor is not in this channel: invite it with /invite @vpce-doctor, then try again";
  }
  if (slackError) return `Slack refused the post (${slackError})`;
  const message = e?.message ?? String(error);
  return message.split("\n")[0]!.slice(0, 500);
}
