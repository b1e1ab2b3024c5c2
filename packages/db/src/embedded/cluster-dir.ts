// Chooses the directory holding the Postgres cluster and makes sure the OS user postgres owns it.
// A directory postgres cannot reach (under a 0700 parent) is swapped for a stable fallback under the
// shared temp root, derived from a hash of the requested path so the same checkout finds it again.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { sharedCacheRoots } from "./binaries.js";
import type { Logger } from "./logger.js";
import { canAccess, type RunAs } from "./os-user.js";

export function isInitialised(clusterDir: string): boolean {
  return fs.existsSync(path.join(clusterDir, "PG_VERSION"));
}

function prepareDir(dir: string, user: RunAs | undefined): void {
  fs.mkdirSync(dir, { recursive: true });
  if (user) {
    const stat = fs.statSync(dir);
    if (stat.uid !== user.uid) fs.chownSync(dir, user.uid, user.gid);
  }
  fs.chmodSync(dir, 0o700);
}

function reachable(dir: string, user: RunAs | undefined): boolean {
  return canAccess(user, dir, ["-r", "-w", "-x"]);
}

export function fallbackClusterDir(requested: string): string {
  const hash = createHash("sha256").update(path.resolve(requested)).digest("hex").slice(0, 16);
  const root = sharedCacheRoots()[0] ?? "/tmp/viewings-embedded-postgres";
  return path.join(root, `cluster-${hash}`);
}

/** Returns the directory to use for the cluster (created, owned by the postgres user, mode 0700). */
export function resolveClusterDir(requested: string, user: RunAs | undefined, logger: Logger): string {
  const wanted = path.resolve(requested);
  prepareDir(wanted, user);
  if (!user) return wanted;

  const fallback = fallbackClusterDir(wanted);
  const wantedOk = reachable(wanted, user);
  if (wantedOk && (isInitialised(wanted) || !isInitialised(fallback))) return wanted;

  fs.mkdirSync(path.dirname(fallback), { recursive: true });
  fs.chmodSync(path.dirname(fallback), 0o1777);
  prepareDir(fallback, user);
  if (!reachable(fallback, user)) {
    throw new Error(
      `the postgres OS user cannot reach ${wanted} nor the fallback ${fallback}; ` +
        "make the data directory's parents traversable (chmod o+x) or set DATABASE_URL",
    );
  }
  logger.warn(
    wantedOk
      ? `keeping the existing cluster in ${fallback} (made earlier because ${wanted} was unreachable)`
      : `the postgres OS user cannot reach ${wanted} (a parent directory is not traversable); ` +
          `keeping the cluster in ${fallback} instead`,
  );
  try {
    fs.writeFileSync(
      path.join(wanted, "..", "postgres-location.txt"),
      `The embedded Postgres cluster for ${wanted} lives in ${fallback}\n` +
        "because the OS user postgres cannot traverse a parent directory of this checkout.\n",
    );
  } catch {
    // informational only
  }
  return fallback;
}
