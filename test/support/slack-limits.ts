import { expect } from "vitest";
import { SLACK_LIMITS } from "../../src/render/slack.js";
import type { Block, ButtonElement, SlackMessage, TextObject } from "../../src/render/slack-types.js";

// Slack's limits on one message, checked block by block, so any test can assert a message would be accepted.

/** Every text a person can read in a message: the notification text, headers, sections, fields, context, buttons. */
export function slackTexts(message: SlackMessage): string[] {
  return [message.text, ...message.blocks.flatMap(blockTexts)];
}

/** Lists every Slack limit the message breaks, one readable line each; empty when Slack would accept it. */
export function slackLimitProblems(message: SlackMessage): string[] {
  const problems: string[] = [];
  const report = (where: string, what: string) => problems.push(`${where}: ${what}`);
  if (typeof message.text !== "string" || message.text.trim() === "") report("text", "empty");
  else if (message.text.length > SLACK_LIMITS.messageText)
    report("text", `${message.text.length} characters`);
  if (message.blocks.length === 0) report("blocks", "none");
  if (message.blocks.length > SLACK_LIMITS.blocksPerMessage)
    report("blocks", `${message.blocks.length} blocks`);
  const json = JSON.stringify(message.blocks).length;
  if (json > SLACK_LIMITS.blocksJson) report("blocks", `${json} characters of JSON`);
  const blockIds = new Set<string>();
  message.blocks.forEach((block, index) => {
    const where = `blocks[${index}] (${block.type})`;
    if (block.block_id !== undefined) {
      if (blockIds.has(block.block_id)) report(where, `duplicate block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    for (const problem of blockProblems(block)) report(where, problem);
  });
  return problems;
}

/** Fails the test, naming every broken limit, unless Slack would accept the message as it is. */
export function assertWithinSlackLimits(message: SlackMessage): void {
  expect(slackLimitProblems(message)).toEqual([]);
}

function blockTexts(block: Block): string[] {
  switch (block.type) {
    case "header":
      return [block.text.text];
    case "section":
      return [
        ...(block.text ? [block.text.text] : []),
        ...(block.fields ?? []).map((field) => field.text),
        ...(block.accessory ? [block.accessory.text.text] : []),
      ];
    case "context":
      return block.elements.map((element) => element.text);
    case "actions":
      return block.elements.map((element) => element.text.text);
    case "divider":
      return [];
  }
}

function blockProblems(block: Block): string[] {
  const id = block.block_id === undefined ? [] : idProblems("block_id", block.block_id, SLACK_LIMITS.blockId);
  switch (block.type) {
    case "header":
      return [...id, ...textProblems("text", block.text, "plain_text", SLACK_LIMITS.headerText)];
    case "section":
      return [...id, ...sectionProblems(block)];
    case "context":
      return [...id, ...contextProblems(block.elements)];
    case "actions":
      return [...id, ...actionsProblems(block.elements)];
    case "divider":
      return id;
  }
}

function sectionProblems(block: Extract<Block, { type: "section" }>): string[] {
  const fields = block.fields ?? [];
  const problems = [
    ...(block.text ? textProblems("text", block.text, undefined, SLACK_LIMITS.sectionText) : []),
    ...fields.flatMap((field, i) => textProblems(`fields[${i}]`, field, undefined, SLACK_LIMITS.fieldText)),
    ...(block.accessory ? buttonProblems("accessory", block.accessory) : []),
  ];
  if (!block.text && fields.length === 0) problems.push("neither text nor fields");
  if (fields.length > SLACK_LIMITS.fieldsPerSection) problems.push(`${fields.length} fields`);
  return problems;
}

function contextProblems(elements: readonly TextObject[]): string[] {
  const problems = elements.flatMap((element, i) =>
    textProblems(`elements[${i}]`, element, undefined, SLACK_LIMITS.contextText),
  );
  if (elements.length === 0 || elements.length > SLACK_LIMITS.contextElements) {
    problems.push(`${elements.length} elements`);
  }
  return problems;
}

function actionsProblems(elements: readonly ButtonElement[]): string[] {
  const problems = elements.flatMap((element, i) => buttonProblems(`elements[${i}]`, element));
  if (elements.length === 0 || elements.length > SLACK_LIMITS.actionsElements) {
    problems.push(`${elements.length} elements`);
  }
  const actionIds = elements.map((element) => element.action_id);
  if (new Set(actionIds).size !== actionIds.length)
    problems.push(`duplicate action_id in ${actionIds.join(", ")}`);
  return problems;
}

function buttonProblems(where: string, button: ButtonElement): string[] {
  return [
    ...textProblems(`${where}.text`, button.text, "plain_text", SLACK_LIMITS.buttonLabel),
    ...idProblems(`${where}.action_id`, button.action_id, SLACK_LIMITS.actionId),
    ...(button.value.length > SLACK_LIMITS.buttonValue
      ? [`${where}.value: ${button.value.length} characters`]
      : []),
  ];
}

function textProblems(
  where: string,
  text: TextObject,
  type: TextObject["type"] | undefined,
  max: number,
): string[] {
  const problems: string[] = [];
  if (type !== undefined && text.type !== type) problems.push(`${where}: ${text.type}, expected ${type}`);
  if (text.text.length === 0) problems.push(`${where}: empty`);
  if (text.text.length > max) problems.push(`${where}: ${text.text.length} characters, over ${max}`);
  return problems;
}

function idProblems(where: string, id: string, max: number): string[] {
  if (id.length === 0) return [`${where}: empty`];
  return id.length > max ? [`${where}: ${id.length} characters, over ${max}`] : [];
}
