import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTestDatabase, type TestDatabase } from "@viewings/db/testing";
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadOrCreateDevClerkInstance } from "../src/auth/dev-clerk-instance.js";
import { createClerkInstance } from "./support/clerk-instance.js";
import { runCli, spawnServer } from "./support/server-process.js";

const workDir = mkdtempSync(join(tmpdir(), "viewings-devx-"));
let database: TestDatabase;
let blocker: Server;

beforeAll(async () => {
  database = await createTestDatabase();
  blocker = createServer();
  await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
});

afterAll(async () => {
  blocker?.close();
  await database?.drop();
  rmSync(workDir, { recursive: true, force: true });
});

describe("developer experience", () => {
  it("`pnpm dev:token` reads DATA_DIR from .env", async () => {
    const dataDir = join(workDir, "from-dotenv");
    loadOrCreateDevClerkInstance(dataDir);
    const envFile = join(workDir, ".env");
    writeFileSync(envFile, `DATA_DIR=${dataDir}\n`);
    const token = await runCli("dist/src/cli/dev-token.js", ["user_dotenv"], { ENV_FILE: envFile });
    expect(decodeJwt(token).sub).toBe("user_dotenv");
  });

  it("a busy port stops the server with one line naming the port, no stack", async () => {
    const clerk = await createClerkInstance();
    const port = (blocker.address() as { port: number }).port;
    const started = spawnServer({
      NODE_ENV: "test",
      PORT: String(port),
      DATABASE_URL: database.url,
      CLERK_SECRET_KEY: clerk.secretKey,
      CLERK_PUBLISHABLE_KEY: clerk.publishableKey,
      CLERK_JWT_KEY: clerk.publicKeyPem,
    });
    const error = await started.then(
      () => expect.fail("the server started on a busy port"),
      (failure: Error) => failure.message,
    );
    const stderr = error.slice(error.indexOf(": ") + 2).trim();
    expect(stderr).toBe(
      `Port ${port} on 127.0.0.1 is already in use (is another server running?). ` +
        `Stop it, or choose another port: PORT=${port + 1} pnpm start`,
    );
  });
});
