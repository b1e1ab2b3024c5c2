import { loadConfig, type ServerConfig } from "./config.js";
import { ConfigError } from "./env.js";
import { createLogger } from "./logger.js";
import { startServer } from "./server.js";

async function main() {
  let config: ServerConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
  const logger = createLogger(config.logLevel);
  const server = await startServer(config, logger);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      logger.info({ signal }, "shutting down");
      server.close().then(
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
