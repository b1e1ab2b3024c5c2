import { appRouter, createContext, type Services } from "@viewings/api";
import { callerOf } from "../auth/authenticate.js";
import { createLeanTrpcHandler } from "../http/lean-trpc-handler.js";
import type { Logger } from "../logger.js";

/**
 * Calls one HTTP request may batch. The frontend's httpBatchLink batches the calls of one render
 * (a handful); a larger batch is refused with 400 before any call runs. Together with the per-user
 * rate limit (each call costs a point), the 100 kb body and the JSON depth bound, this caps the work
 * one request can cause.
 */
export const maxBatchSize = 10;

export function trpcHandler(services: Services, logger: Logger) {
  return createLeanTrpcHandler({
    router: appRouter,
    maxBatchSize,
    createContext: ({ res }) => createContext({ caller: callerOf(res), services }),
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR")
        logger.error({ err: error.cause ?? error, path }, "procedure failed");
    },
  });
}
