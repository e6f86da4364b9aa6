/** What became of one alarm message: posted, already seen, or not acted on (and why). */
export type IntakeOutcome =
  | { kind: "posted" }
  | { kind: "duplicate" }
  /** Another handler (this process or another replica) holds the message's live lease: try again later. */
  | { kind: "in-progress" }
  | { kind: "rejected"; reason: string }
  | { kind: "refused"; reason: string };

/**
 * The one way alarm messages enter the bot, whatever carried them (the SNS webhook or the SQS poller):
 * resolves once the report is posted (or the message is known to be a duplicate or not for us) and
 * rejects when posting failed, so the carrier redelivers instead of losing the alarm.
 */
export type Intake = (message: unknown, via: "https" | "sqs") => Promise<IntakeOutcome>;
