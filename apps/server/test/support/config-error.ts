import { expect } from "vitest";
import { buildConfig } from "../../src/config.js";
import { readEnv } from "../../src/env.js";

/** The message start-up would stop with for this environment; fails the test when it would start. */
export function configError(env: Record<string, string>): string {
  try {
    buildConfig(readEnv(env));
  } catch (error) {
    return (error as Error).message;
  }
  return expect.fail("expected a configuration error");
}
