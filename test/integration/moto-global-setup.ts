import type { TestProject } from "vitest/node";
import { startMoto } from "./moto.js";

declare module "vitest" {
  export interface ProvidedContext {
    motoUrl: string;
  }
}

/** Vitest global setup: one moto_server for the whole integration run, stopped at the end. */
export default async function setup(project: TestProject) {
  const moto = await startMoto();
  project.provide("motoUrl", moto.url);
  return moto.stop;
}
