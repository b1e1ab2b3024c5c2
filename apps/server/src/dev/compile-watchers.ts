// One `tsc --watch` per workspace package the server runs, with --noEmitOnError: a type error leaves
// the last good JavaScript in dist/ (so the server is not restarted onto broken code) and is reported.
import { type ChildProcess, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { repoRoot } from "@viewings/db";

export interface WorkspacePackage {
  name: string;
  dir: string;
}

interface Manifest {
  name: string;
  dependencies?: Record<string, string>;
}

const readManifest = (dir: string) =>
  JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest;

/** The package in `dir` and every workspace package it depends on at run time, dependencies first. */
export function runtimeWorkspace(dir: string): WorkspacePackage[] {
  const byName = new Map<string, string>();
  for (const parent of ["packages", "apps"]) {
    for (const entry of fs.readdirSync(path.join(repoRoot, parent))) {
      const candidate = path.join(repoRoot, parent, entry);
      if (fs.existsSync(path.join(candidate, "package.json")))
        byName.set(readManifest(candidate).name, candidate);
    }
  }
  const ordered: WorkspacePackage[] = [];
  const visit = (packageDir: string) => {
    const manifest = readManifest(packageDir);
    if (ordered.some((known) => known.name === manifest.name)) return;
    for (const [name, version] of Object.entries(manifest.dependencies ?? {})) {
      const dependency = byName.get(name);
      if (version.startsWith("workspace:") && dependency) visit(dependency);
    }
    ordered.push({ name: manifest.name, dir: packageDir });
  };
  visit(dir);
  return ordered;
}

export interface CompileEvents {
  /** Every watcher has finished its first compilation: changes from now on restart the server. */
  ready(): void;
  /** A watcher finished a compilation that followed a change; `errors` holds tsc's error lines. */
  compiled(pkg: WorkspacePackage, errors: string[]): void;
}

/** Starts the watchers; `busy()` is true while any of them is compiling. */
export function watchCompilation(packages: WorkspacePackage[], events: CompileEvents) {
  const tsc = path.join(repoRoot, "node_modules", ".bin", "tsc");
  const compiling = new Set<string>();
  let pendingFirst = packages.length;
  const children: ChildProcess[] = packages.map((pkg) => {
    const child = spawn(tsc, ["-p", "tsconfig.json", "--watch", "--preserveWatchOutput", "--noEmitOnError"], {
      cwd: pkg.dir,
      stdio: ["ignore", "pipe", "inherit"],
      // Its own process group: `.bin/tsc` is a launcher, and stopping it must stop the compiler it starts.
      detached: true,
    });
    let initial = true;
    let errors: string[] = [];
    let buffer = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      for (const line of lines) {
        if (/File change detected|Starting compilation/.test(line)) {
          compiling.add(pkg.name);
          errors = [];
        } else if (/Found \d+ errors?\. Watching/.test(line)) {
          compiling.delete(pkg.name);
          if (!initial) events.compiled(pkg, errors);
          else if (--pendingFirst === 0) events.ready();
          initial = false;
        } else if (/error TS\d+/.test(line)) {
          errors.push(line.trim());
        }
      }
    });
    return child;
  });
  return {
    busy: () => compiling.size > 0,
    stop: () => {
      for (const child of children) {
        try {
          if (child.pid) process.kill(-child.pid, "SIGTERM");
        } catch {
          // The group has already exited.
        }
      }
    },
  };
}
