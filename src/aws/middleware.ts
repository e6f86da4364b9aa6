import { setTimeout as sleep } from "node:timers/promises";
import type { FinalizeRequestMiddleware, Pluggable } from "@smithy/types";
import { iamActionFor } from "./actions.js";
import { errorName } from "./errors.js";

/** HTTP attempts made to AWS (retries included), in total and per IAM action. */
export interface CallCounter {
  count: number;
  byAction: Record<string, number>;
}

/** A counter at zero. */
export function createCallCounter(): CallCounter {
  return { count: 0, byAction: {} };
}

// Low priority in finalizeRequest runs inside the retry middleware (high priority), so every attempt passes here.
const PER_ATTEMPT = { step: "finalizeRequest", priority: "low" } as const;

/** SDK plugin that counts every HTTP attempt (retries included) into `counter`. */
export function countCalls<I extends object, O extends object>(counter: CallCounter): Pluggable<I, O> {
  const middleware: FinalizeRequestMiddleware<I, O> = (next, context) => async (args) => {
    const command = context.commandName ?? "UnknownCommand";
    const client = context.clientName ?? "UnknownClient";
    const action = iamActionFor(command, client) ?? `${client}:${command}`;
    counter.count += 1;
    counter.byAction[action] = (counter.byAction[action] ?? 0) + 1;
    return next(args);
  };
  return {
    applyToStack: (stack) => stack.add(middleware, { ...PER_ATTEMPT, name: "vpceDoctorCallCounter" }),
  };
}

/** SDK plugin that delays every HTTP attempt by `latencyMs` (benchmarks simulate a remote region with it). */
export function fixedLatency<I extends object, O extends object>(latencyMs: number): Pluggable<I, O> {
  const middleware: FinalizeRequestMiddleware<I, O> = (next) => async (args) => {
    await sleep(latencyMs);
    return next(args);
  };
  return {
    applyToStack: (stack) => stack.add(middleware, { ...PER_ATTEMPT, name: "vpceDoctorFixedLatency" }),
  };
}

/** Told of every HTTP attempt to AWS: its IAM action, and the error name when it failed. */
export type CallObserver = (action: string, error?: string) => void;

/** SDK plugin that reports every HTTP attempt (retries included) and its outcome to `observe`. */
export function observeCalls<I extends object, O extends object>(observe: CallObserver): Pluggable<I, O> {
  const middleware: FinalizeRequestMiddleware<I, O> = (next, context) => async (args) => {
    const command = context.commandName ?? "UnknownCommand";
    const client = context.clientName ?? "UnknownClient";
    const action = iamActionFor(command, client) ?? `${client}:${command}`;
    try {
      const output = await next(args);
      observe(action);
      return output;
    } catch (error) {
      observe(action, errorName(error));
      throw error;
    }
  };
  return {
    applyToStack: (stack) => stack.add(middleware, { ...PER_ATTEMPT, name: "vpceDoctorCallObserver" }),
  };
}
