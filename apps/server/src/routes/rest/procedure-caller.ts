import { appRouter, type Context, createCallerFactory, type Services } from "@viewings/api";
import type { Response } from "express";
import { callerOf } from "../../auth/authenticate.js";

const createCaller = createCallerFactory(appRouter);

export type Procedures = ReturnType<typeof createCaller>;

/** Options a REST route may add to the context; whether they are honoured is the procedures' call. */
export interface CallOptions {
  /** A service's `user_id`: protectedProcedure acts for that user, and refuses it from anyone else. */
  actingFor?: Context["actingFor"];
}

/** Gives a REST route the procedures /trpc serves, called in-process. */
export type CallProcedures = (options?: CallOptions) => Procedures;

/**
 * The same context the tRPC adapter builds (caller from the authenticate middleware, shared services),
 * so a REST route runs the procedure's own auth, validation and logic.
 */
export function procedureCallerFor(res: Response, services: Services): CallProcedures {
  return (options = {}) =>
    createCaller({
      caller: callerOf(res),
      services,
      via: "rest",
      ...(options.actingFor ? { actingFor: options.actingFor } : {}),
    });
}
