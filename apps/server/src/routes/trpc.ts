import { appRouter, createContext, type Services } from "@viewings/api";
import { callerOf } from "../auth/authenticate.js";
import { createLeanTrpcHandler } from "../http/lean-trpc-handler.js";
import type { Logger } from "../logger.js";

export function trpcHandler(services: Services, logger: Logger) {
  return createLeanTrpcHandler({
    router: appRouter,
    createContext: ({ res }) => createContext({ caller: callerOf(res), services }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        logger.error({ err: error.cause ?? error, path }, "procedure failed");
    },
  });
}
