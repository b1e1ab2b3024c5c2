import { loadEnvFile } from "@viewings/db";
import { startupBanner } from "./banner.js";
import { withCalendarSandbox } from "./calendar-sandbox.js";
import { loadConfig, type ServerConfig } from "./config.js";
import { ConfigError } from "./env.js";
import { createLogger, logFormatFor } from "./logger.js";
import { startServer } from "./server.js";

/** Configuration problems are the operator's to fix: one message, no stack. */
async function prepare() {
  try {
    const { source, sandbox } = await withCalendarSandbox();
    return { config: loadConfig(source), sandbox };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

function addressInUse(error: unknown, config: ServerConfig): string | undefined {
  if ((error as NodeJS.ErrnoException)?.code !== "EADDRINUSE") return undefined;
  return (
    `Port ${config.port} on ${config.host} is already in use (is another server running?). ` +
    `Stop it, or choose another port: PORT=${config.port + 1} pnpm start`
  );
}

async function main() {
  loadEnvFile();
  const { config, sandbox } = await prepare();
  const format = logFormatFor(config.logFormat, config.nodeEnv);
  const logger = createLogger(config.logLevel, format);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(config, logger);
  } catch (error) {
    await sandbox?.close();
    const busy = addressInUse(error, config);
    if (!busy) throw error;
    console.error(busy);
    process.exit(1);
  }
  if (format === "pretty" && config.startupBanner) process.stdout.write(startupBanner(server.url, config));
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      logger.info({ signal }, "shutting down");
      server
        .close()
        .then(() => sandbox?.close())
        .then(
          () => process.exit(0),
          (error) => {
            logger.error({ err: error }, "shutdown failed");
            process.exit(1);
          },
        );
    });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
