// The few Block Kit shapes vpce-doctor renders, typed here so render/ stays free of @slack/* imports.

/** A text object: mrkdwn for sections and context, plain_text for headers and buttons. */
export interface TextObject {
  type: "mrkdwn" | "plain_text";
  text: string;
  emoji?: boolean;
}

/** A button element; `value` only ever carries an opaque report id. */
export interface ButtonElement {
  type: "button";
  action_id: string;
  text: TextObject;
  value: string;
  style?: "primary" | "danger";
}

/** The blocks vpce-doctor posts. */
export type Block =
  | { type: "header"; block_id?: string; text: TextObject }
  | {
      type: "section";
      block_id?: string;
      text?: TextObject;
      fields?: TextObject[];
      accessory?: ButtonElement;
    }
  | { type: "context"; block_id?: string; elements: TextObject[] }
  | { type: "actions"; block_id?: string; elements: ButtonElement[] }
  | { type: "divider"; block_id?: string };

/** A message as chat.postMessage / chat.update take it: `text` is the notification and screen-reader text. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}
