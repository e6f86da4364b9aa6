// The queue the SQS poller reads, without AWS types: src/aws/sqs.ts implements it, tests use an in-memory one.

/** One message taken from the alarm queue: its id (for logs), the handle that deletes it, and its text. */
export interface QueuedMessage {
  id: string;
  receiptHandle: string;
  body: string;
}

/** A queue of alarm messages: a received message stays hidden until removed, then reappears if it is not. */
export interface AlarmQueue {
  /** Waits (long poll) for up to a batch of messages; may resolve empty. Rejects when `signal` aborts. */
  receive(signal?: AbortSignal): Promise<QueuedMessage[]>;
  /** Deletes a received message for good. */
  remove(receiptHandle: string): Promise<void>;
}
