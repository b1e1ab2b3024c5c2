// The layering rules, enforced rather than commented: providers are HTTP adapters that know nothing of
// the services using them, and this package knows nothing of the server application.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const src = path.join(packageRoot, "src");
const appsDir = path.resolve(packageRoot, "../../apps");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return /\.tsx?$/.test(entry.name) ? [full] : [];
  });
}

/** Every module specifier a file imports or re-exports, static or dynamic. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  const pattern = /(?:\bfrom\s*|\bimport\s*\(?\s*)["']([^"']+)["']/g;
  return [...text.matchAll(pattern)].map((match) => match[1] as string);
}

/** `file: specifier` for each import of `files` that `breaks` the rule. */
function violations(files: string[], breaks: (specifier: string, resolved: string | null) => boolean) {
  return files.flatMap((file) =>
    importsOf(file)
      .filter((specifier) => {
        const resolved = specifier.startsWith(".") ? path.resolve(path.dirname(file), specifier) : null;
        return breaks(specifier, resolved);
      })
      .map((specifier) => `${path.relative(packageRoot, file)}: ${specifier}`),
  );
}

const inside = (dir: string) => (resolved: string | null) =>
  resolved !== null && (resolved === dir || resolved.startsWith(`${dir}${path.sep}`));

describe("import rules", () => {
  it("finds the imports it checks", () => {
    expect(importsOf(path.join(src, "providers/google/google-provider.ts"))).toContain("../oauth.js");
  });

  it("no import climbs from providers/ into services/", () => {
    const inServices = inside(path.join(src, "services"));
    const files = sourceFiles(path.join(src, "providers"));
    expect(violations(files, (_, resolved) => inServices(resolved))).toEqual([]);
  });

  it("nothing in packages/api imports from apps/ (neither by path nor as @viewings/server)", () => {
    const inApps = inside(appsDir);
    const files = [...sourceFiles(src), ...sourceFiles(path.join(packageRoot, "test"))];
    const breaks = (specifier: string, resolved: string | null) =>
      inApps(resolved) || specifier === "@viewings/server" || specifier.startsWith("@viewings/server/");
    expect(violations(files, breaks)).toEqual([]);
  });
});
