import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromiumPath } from "./browser.js";

function onPath(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/**
 * A fresh machine with only Node and npm has neither Debian's chromium nor curl, and `pnpm test` must
 * still pass there: the tests that need them are skipped (and reported as skipped). CI installs both
 * in .ci/run and never skips them.
 */
const requiredHere = process.env.CI === "true";
export const hasChromium = requiredHere || existsSync(chromiumPath);
export const hasCurl = requiredHere || onPath("curl");
