// Creates a fresh cluster: initdb runs into a sibling temp directory which is renamed into place, so
// an interrupted initdb never leaves a half-made cluster that looks initialised.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PostgresBinaries } from "./binaries.js";
import type { RunAs } from "./os-user.js";

export const SUPERUSER = "postgres";
export const SUPERUSER_PASSWORD = "postgres";

export function postgresEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", LC_ALL: "C", LANG: "C", TZ: "UTC" };
}

export async function initCluster(
  clusterDir: string,
  bins: PostgresBinaries,
  user: RunAs | undefined,
): Promise<void> {
  if (fs.readdirSync(clusterDir).length > 0) {
    throw new Error(`${clusterDir} is not empty but holds no Postgres cluster (no PG_VERSION); move it away`);
  }
  const staging = `${clusterDir}.initdb-${process.pid}`;
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `viewings-pg-pw-${randomBytes(6).toString("hex")}`);
  fs.writeFileSync(pwfile, `${SUPERUSER_PASSWORD}\n`, { mode: 0o600 });
  if (user) {
    fs.chownSync(staging, user.uid, user.gid);
    fs.chownSync(pwfile, user.uid, user.gid);
  }
  try {
    const args = [
      `--pgdata=${staging}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${pwfile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      "--no-locale",
      "--no-instructions",
    ];
    const output = await new Promise<{ code: number | null; log: string }>((resolve, reject) => {
      const child = spawn(bins.initdb, args, {
        ...user,
        env: postgresEnv(),
        stdio: ["ignore", "pipe", "pipe"],
      });
      let log = "";
      child.stdout.on("data", (chunk: Buffer) => {
        log += chunk.toString();
      });
      child.stderr.on("data", (chunk: Buffer) => {
        log += chunk.toString();
      });
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, log }));
    });
    if (output.code !== 0)
      throw new Error(`initdb failed (exit ${output.code}): ${output.log.trim().slice(-2000)}`);
    fs.rmdirSync(clusterDir);
    fs.renameSync(staging, clusterDir);
  } finally {
    fs.rmSync(pwfile, { force: true });
    fs.rmSync(staging, { recursive: true, force: true });
  }
}
