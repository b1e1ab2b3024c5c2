// The existing frontend's wake-up ping (src/hooks/useBackendWakeup.ts, around every page): the browser
// fetches `${NEXT_PUBLIC_API_URL}/health` with `cache: 'no-store'` from the frontend's origin and
// renders the app only when `response.ok`; anything else, ten times over, shows "Backend Unavailable".
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type StandalonePostgres, startStandalonePostgres } from "@viewings/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.js";
import { hasChromium } from "./support/optional-tools.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

let postgres: StandalonePostgres;
let server: TestServer;
beforeAll(async () => {
  postgres = await startStandalonePostgres();
  server = await startTestServer({}, { databaseUrl: postgres.url() });
});
afterAll(async () => {
  await postgres?.start();
  await server?.close();
  await postgres?.destroy();
});

const frontendOrigin = "https://peterental.example";

describe("GET /health (the wake-up ping)", () => {
  it("answers 200 with CORS open to the frontend's origin, and needs no credential", async () => {
    const response = await fetch(`${server.url}/health`, { headers: { origin: frontendOrigin } });
    expect(response.ok).toBe(true);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    expect(await response.json()).toEqual({ status: "healthy", service: "viewings-api" });
  });

  it("answers a CORS preflight too (a browser that adds headers asks first)", async () => {
    const preflight = await fetch(`${server.url}/health`, {
      method: "OPTIONS",
      headers: {
        origin: frontendOrigin,
        "access-control-request-method": "GET",
        "access-control-request-headers": "cache-control",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("is liveness: still 200 while the database is down (/readyz says 503)", async () => {
    await postgres.stop();
    try {
      expect((await fetch(`${server.url}/readyz`)).status).toBe(503);
      expect((await fetch(`${server.url}/health`, { headers: { origin: frontendOrigin } })).ok).toBe(true);
    } finally {
      await postgres.start();
    }
  });
});

describe.skipIf(!hasChromium)("the wake-up ping from a real browser on another origin", () => {
  let page: Server;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  beforeAll(async () => {
    // The frontend: a page on its own origin (another port), as the Next.js app is.
    page = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html" }).end("<!doctype html><title>frontend</title>");
    });
    await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve));
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await new Promise((resolve) => page?.close(resolve));
  });

  it('fetch(API + "/health", { cache: "no-store" }) resolves with response.ok', async () => {
    const tab = await chromium.context.newPage();
    await tab.goto(`http://localhost:${(page.address() as AddressInfo).port}/`);
    // The hook's own request: a plain cross-origin GET with cache: 'no-store'.
    const ok = await tab.evaluate(async (api) => {
      // A browser's RequestInit (Node's types lack `cache`).
      const init = { cache: "no-store" };
      const response = await fetch(`${api}/health`, init as RequestInit);
      return response.ok;
    }, server.url);
    expect(ok).toBe(true);
    await tab.close();
  });
});
