// A previous run may have left a postmaster.pid behind: either a crashed server (dead pid), an orphan
// whose owning process was SIGKILLed (the watchdog normally stops those), or a server that another
// live process is using right now. We clear the first, stop the second and attach to the third.
import fs from "node:fs";
import path from "node:path";
import type { Logger } from "./logger.js";

const OWNER_FILE = "viewings-owner.json";

interface Owner {
  ownerPid: number;
  postmasterPid: number;
  port: number;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readPostmasterPid(clusterDir: string): { pid: number; port: number } | undefined {
  try {
    const lines = fs.readFileSync(path.join(clusterDir, "postmaster.pid"), "utf8").split("\n");
    const pid = Number.parseInt(lines[0] ?? "", 10);
    const port = Number.parseInt(lines[3] ?? "", 10);
    return Number.isFinite(pid) ? { pid, port } : undefined;
  } catch {
    return undefined;
  }
}

function isPostmasterOf(pid: number, clusterDir: string): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    return path.basename(cmdline[0] ?? "") === "postgres" && cmdline.includes(clusterDir);
  } catch {
    return false;
  }
}

function readOwner(clusterDir: string): Owner | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(clusterDir, OWNER_FILE), "utf8")) as Owner;
  } catch {
    return undefined;
  }
}

export function writeOwner(clusterDir: string, owner: Owner): void {
  try {
    fs.writeFileSync(path.join(clusterDir, OWNER_FILE), JSON.stringify(owner));
  } catch {
    // without the file, a later run treats a live postmaster as in use rather than orphaned
  }
}

export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return !isAlive(pid);
}

export type LockState = { kind: "free" } | { kind: "in-use"; pid: number; port: number };

/** Makes the cluster startable, or reports the live server that already runs it. */
export async function clearStaleLock(clusterDir: string, logger: Logger): Promise<LockState> {
  const lock = readPostmasterPid(clusterDir);
  if (!lock) return { kind: "free" };
  const lockFile = path.join(clusterDir, "postmaster.pid");

  if (!isAlive(lock.pid) || !isPostmasterOf(lock.pid, clusterDir)) {
    logger.info(`removing stale ${lockFile} (pid ${lock.pid} is not running this cluster)`);
    fs.rmSync(lockFile, { force: true });
    return { kind: "free" };
  }

  const owner = readOwner(clusterDir);
  const orphaned = owner && owner.postmasterPid === lock.pid && !isAlive(owner.ownerPid);
  if (!orphaned) return { kind: "in-use", pid: lock.pid, port: lock.port };

  logger.warn(`stopping orphaned postgres (pid ${lock.pid}) left by process ${owner.ownerPid}`);
  process.kill(lock.pid, "SIGINT");
  if (!(await waitForExit(lock.pid, 15_000))) {
    process.kill(lock.pid, "SIGQUIT");
    await waitForExit(lock.pid, 5_000);
  }
  fs.rmSync(lockFile, { force: true });
  return { kind: "free" };
}
