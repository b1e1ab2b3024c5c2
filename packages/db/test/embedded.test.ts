import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { removeEmbeddedPostgresData, startEmbeddedPostgres } from "../src/embedded/index.js";
import { startStandalonePostgres } from "../src/testing/index.js";
import { query } from "./helpers.js";

const isRoot = process.getuid?.() === 0;
const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
});

describe("startEmbeddedPostgres", () => {
  it("starts from a data dir under a 0700 directory (like a CI checkout in mktemp -d), then reuses it", async () => {
    const locked = fs.mkdtempSync(path.join(os.tmpdir(), "viewings-0700-"));
    expect(fs.statSync(locked).mode & 0o777).toBe(0o700);
    cleanup.push(locked);
    const dataDir = path.join(locked, "checkout", ".data");
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (message: string) => warnings.push(message) };

    const first = await startEmbeddedPostgres({ dataDir, logger });
    cleanup.push(first.clusterDir);
    try {
      expect(first.timings.initdbMs).toBeGreaterThan(0);
      const { rows } = await query<{ v: string }>(first.url(), "SELECT current_database() AS v");
      expect(rows[0]?.v).toBe("viewings");
      await query(first.url(), "CREATE TABLE kept (x int); INSERT INTO kept VALUES (42)");
      if (isRoot) {
        expect(first.clusterDir).not.toContain(locked);
        expect(warnings.join("\n")).toContain("cannot reach");
      }
    } finally {
      await first.stop();
    }

    const second = await startEmbeddedPostgres({ dataDir, logger });
    try {
      expect(second.clusterDir).toBe(first.clusterDir);
      expect(second.timings.initdbMs).toBe(0);
      const { rows } = await query<{ x: number }>(second.url(), "SELECT x FROM kept");
      expect(rows[0]?.x).toBe(42);
      process.stderr.write(
        `[db tests] embedded: fresh init ${first.timings.initdbMs} ms + start ${first.timings.startMs} ms; ` +
          `reuse start ${second.timings.startMs} ms\n`,
      );
    } finally {
      await second.stop();
    }

    // Throwaway data folders delete their cluster wherever it ended up, the fallback included.
    removeEmbeddedPostgresData(dataDir);
    expect(fs.existsSync(first.clusterDir)).toBe(false);
  });

  it("is not blocked by a stale postmaster.pid from a killed run", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "viewings-stale-"));
    fs.chmodSync(dataDir, 0o755);
    cleanup.push(dataDir);
    const server = await startEmbeddedPostgres({ dataDir });
    await server.stop();
    // What a SIGKILLed server leaves: a lock file naming a pid that no longer runs postgres.
    const lockFile = path.join(server.clusterDir, "postmaster.pid");
    fs.writeFileSync(
      lockFile,
      `999999\n${server.clusterDir}\n1700000000\n${server.port}\n\n127.0.0.1\n  1  2\nready\n`,
    );
    const again = await startEmbeddedPostgres({ dataDir });
    try {
      const { rows } = await query<{ one: number }>(again.url(), "SELECT 1 AS one");
      expect(rows[0]?.one).toBe(1);
    } finally {
      await again.stop();
    }
  });
});

describe("startStandalonePostgres", () => {
  it("stops and starts again on the same port and data dir", async () => {
    const server = await startStandalonePostgres();
    try {
      await query(server.url(), "INSERT INTO users (clerk_user_id, email) VALUES ('u1', 'u1@example.com')");
      await server.stop();
      expect(server.running).toBe(false);
      await expect(query(server.url(), "SELECT 1")).rejects.toThrow(/ECONNREFUSED/);
      await server.start();
      const { rows } = await query<{ email: string }>(server.url(), "SELECT email FROM users");
      expect(rows.map((row) => row.email)).toEqual(["u1@example.com"]);
    } finally {
      await server.destroy();
    }
    expect(fs.existsSync(server.dataDir)).toBe(false);
  });
});
