// The server process `pnpm dev` restarts. The first start shows everything the server prints (banner
// included); a restart prints one line once the new process listens, or everything if it fails.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const serverRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export function serverChild(env: NodeJS.ProcessEnv, say: (line: string) => void) {
  let child: ChildProcess | undefined;
  let quiet = false;

  const start = (reason?: string) => {
    const started = performance.now();
    let held: string[] | undefined = reason ? [] : undefined;
    const current = spawn(process.execPath, ["--enable-source-maps", "dist/src/main.js"], {
      cwd: serverRoot,
      // The banner was shown at the first start.
      env: reason ? { ...env, STARTUP_BANNER: "false" } : env,
      stdio: ["ignore", "pipe", "inherit"],
      // Its own process group: Ctrl-C reaches only `pnpm dev`, which stops the server quietly itself.
      detached: true,
    });
    child = current;
    current.stdout?.on("data", (chunk: Buffer) => {
      // A replaced server's shutdown lines are not news.
      if (quiet || child !== current) return;
      const text = chunk.toString();
      if (!held) return void process.stdout.write(text);
      held.push(text);
      if (held.join("").includes("server listening")) {
        held = undefined;
        say(`restarted (${reason}) in ${Math.round(performance.now() - started)} ms`);
      }
    });
    current.once("exit", (code, signal) => {
      if (child !== current || quiet) return;
      if (held) process.stdout.write(held.join(""));
      say(`the server exited (${signal ?? `code ${code}`}); it restarts on the next change`);
      child = undefined;
    });
  };

  /** Stops the running server gracefully (it drains requests; PostgreSQL is not its to stop). */
  const stop = async () => {
    const current = child;
    child = undefined;
    if (!current || current.exitCode !== null) return;
    const exited = new Promise((resolve) => current.once("exit", resolve));
    current.kill("SIGTERM");
    const force = setTimeout(() => current.kill("SIGKILL"), 15_000);
    await exited;
    clearTimeout(force);
  };

  return {
    start,
    async restart(reason: string) {
      await stop();
      start(reason);
    },
    /** Last resort when this process exits without a shutdown. */
    kill: () => child?.kill("SIGKILL"),
    /** Final stop: nothing the server prints while shutting down is shown. */
    async shutdown() {
      quiet = true;
      await stop();
    },
  };
}
