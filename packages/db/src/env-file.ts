// The repository's .env, read by the server, `pnpm dev:token` and the db commands. Variables already
// in the environment win: a value exported in the shell or set by the platform is never overridden.
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "./paths.js";

export const envFilePath: string = path.join(repoRoot, ".env");

/**
 * Loads `<repo>/.env` (or the file ENV_FILE names; tests name /dev/null to stay hermetic) into
 * process.env when it exists; returns its path, or undefined.
 */
export function loadEnvFile(file: string = process.env.ENV_FILE || envFilePath): string | undefined {
  if (!fs.existsSync(file)) return undefined;
  process.loadEnvFile(file);
  return file;
}
