// Keeps an aborted process from leaving a Postgres server behind:
// - on process exit (normal or via process.exit) each running server gets SIGINT (fast shutdown);
// - on SIGINT/SIGTERM/SIGHUP the servers are stopped, then the process exits unless the application
//   registered its own handler for that signal (it then decides when to exit);
// - a tiny detached shell watchdog per server stops it when this process dies without running any
//   handler at all (SIGKILL, OOM killer).
import { spawn } from "node:child_process";

interface Guarded {
  pid: number;
  stop(): Promise<void>;
}

const running = new Set<Guarded>();
let installed = false;
const SIGNALS: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
const SIGNAL_NUMBERS: Record<string, number> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

function onExit(): void {
  for (const server of running) {
    try {
      process.kill(server.pid, "SIGINT");
    } catch {
      // already gone
    }
  }
}

function onSignal(signal: NodeJS.Signals): void {
  const servers = [...running];
  void Promise.allSettled(servers.map((server) => server.stop())).then(() => {
    if (process.listenerCount(signal) <= 1) process.exit(128 + (SIGNAL_NUMBERS[signal] ?? 0));
  });
}

function install(handleSignals: boolean): void {
  if (installed) return;
  installed = true;
  process.on("exit", onExit);
  if (handleSignals) for (const signal of SIGNALS) process.on(signal, onSignal);
}

function startWatchdog(postmasterPid: number): () => void {
  const script = [
    'while kill -0 "$1" 2>/dev/null; do',
    '  kill -0 "$2" 2>/dev/null || exit 0',
    "  sleep 1",
    "done",
    'kill -INT "$2" 2>/dev/null',
  ].join("\n");
  try {
    const child = spawn(
      "/bin/sh",
      ["-c", script, "pg-watchdog", String(process.pid), String(postmasterPid)],
      {
        detached: true,
        stdio: "ignore",
      },
    );
    child.on("error", () => {});
    child.unref();
    return () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    };
  } catch {
    return () => {};
  }
}

/** Registers a running server; the returned function unregisters it (call after it stopped). */
export function guard(server: Guarded, handleSignals: boolean): () => void {
  install(handleSignals);
  running.add(server);
  const stopWatchdog = startWatchdog(server.pid);
  return () => {
    running.delete(server);
    stopWatchdog();
  };
}
