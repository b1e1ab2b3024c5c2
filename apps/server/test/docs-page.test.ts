// /docs in headless Chromium: the page renders the generated document's operations with assets
// served by this server (no CDN, nothing off loopback), under a CSP that is relaxed nowhere else.
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "./support/browser.js";
import { hasChromium } from "./support/optional-tools.js";
import { startTestServer, type TestServer } from "./support/test-server.js";

let server: TestServer;
let chromium: Awaited<ReturnType<typeof launchChromium>>;
let browser: BrowserContext;
beforeAll(async () => {
  if (!hasChromium) return;
  [server, chromium] = await Promise.all([startTestServer(), launchChromium()]);
  browser = chromium.context;
});
afterAll(() => Promise.all([server?.close(), chromium?.close()]));

describe.skipIf(!hasChromium)("GET /docs", () => {
  it("lists the REST routes and the tRPC procedures, loading nothing from outside", async () => {
    const page = await browser.newPage();
    const requested: string[] = [];
    const problems: string[] = [];
    page.on("request", (request) => requested.push(request.url()));
    page.on("console", (message) => {
      if (message.type() === "error") problems.push(message.text());
    });
    page.on("pageerror", (error) => problems.push(error.message));

    const response = await page.goto(`${server.url}/docs`);
    expect(response?.status()).toBe(200);
    await page.waitForSelector(".opblock", { timeout: 20_000 });

    const paths = await page.$$eval(".opblock .opblock-summary-path", (nodes) =>
      nodes.map((node) => node.getAttribute("data-path") ?? node.textContent ?? ""),
    );
    for (const path of [
      "/users/create-from-clerk",
      "/users/by-clerk-id/{clerk_user_id}",
      "/users/{user_id}/calendar-status",
      "/calendar/events",
      "/calendar/availability",
      "/calendar/auth/start",
      "/calendar/google/auth/disconnect",
      "/trpc/users.me",
      "/trpc/events.create",
    ]) {
      expect(paths.map((p) => p.replace(/\u200b/g, ""))).toContain(path);
    }
    const title = await page.textContent(".info .title");
    expect(title).toContain("Viewings API");
    // Both security schemes are offered by the Authorize dialog.
    await page.click(".auth-wrapper .authorize");
    const schemes = await page.$$eval(".auth-container h4", (nodes) =>
      nodes.map((node) => node.textContent ?? ""),
    );
    expect(schemes.join(" ")).toContain("clerkSession");
    expect(schemes.join(" ")).toContain("serviceKey");

    const origin = new URL(server.url).origin;
    expect(requested.filter((url) => !url.startsWith(origin) && !url.startsWith("data:"))).toEqual([]);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("keeps helmet's strict CSP (script-src 'self') on /docs and everywhere else", async () => {
    for (const path of ["/docs", "/healthz", "/openapi.json"]) {
      const csp = (await fetch(`${server.url}${path}`)).headers.get("content-security-policy") ?? "";
      expect(csp, path).toContain("script-src 'self'");
      expect(csp, path).not.toContain("unsafe-eval");
    }
  });

  it("serves only the assets the page needs from swagger-ui-dist", async () => {
    expect((await fetch(`${server.url}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
    expect((await fetch(`${server.url}/docs/assets/swagger-ui.css`)).status).toBe(200);
    // The package's demo page points at an online example document: not served.
    expect((await fetch(`${server.url}/docs/assets/index.html`)).status).toBe(404);
    expect((await fetch(`${server.url}/docs/assets/swagger-initializer.js`)).status).toBe(404);
  });
});
