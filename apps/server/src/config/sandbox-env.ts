/** Environment variables of the development calendar sandbox (config/sandbox.ts), spread into env.ts's schema. */
import { z } from "zod";

export const sandboxEnvShape = {
  CALENDAR_SANDBOX: z
    .enum(["true", "false"], { message: "must be true or false" })
    .transform((value) => value === "true")
    .optional(),
  // Set by `pnpm dev`, which keeps one sandbox for the whole run: the server uses it instead of starting one.
  CALENDAR_SANDBOX_URL: z.url({ protocol: /^https?$/ }).optional(),
};
