/**
 * tRPC setup, in three parts:
 * 1. the context every procedure receives,
 * 2. the tRPC instance with its error formatter,
 * 3. the procedures routers are built from.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { ZodError, z } from "zod";
import type { Caller } from "./caller.js";
import { toTrpcError } from "./middlewares/domain-errors.js";
import type { Services } from "./services/index.js";

// 1. CONTEXT
export interface Context {
  caller: Caller;
  services: Services;
}

export function createContext(opts: Context): Context {
  return opts;
}

// 2. INITIALISATION
/** "email: Invalid email address; firstName: Too big" — names every wrong field in the message. */
function describeZodError(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ");
}

const t = initTRPC.context<Context>().create({
  isDev: false,
  errorFormatter({ shape, error }) {
    const zodError = error.code === "BAD_REQUEST" && error.cause instanceof ZodError ? error.cause : null;
    const message = zodError
      ? `Invalid input: ${describeZodError(zodError)}`
      : error.code === "INTERNAL_SERVER_ERROR"
        ? "Internal server error"
        : shape.message;
    return {
      ...shape,
      message,
      data: {
        code: shape.data.code,
        httpStatus: shape.data.httpStatus,
        path: shape.data.path,
        zodError: zodError ? z.flattenError(zodError) : null,
      },
    };
  },
});

export const createCallerFactory = t.createCallerFactory;
export const router = t.router;

// 3. PROCEDURES
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) throw toTrpcError(result.error);
  return result;
});

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(mapDomainErrors);

/** A signed-in Clerk user; ctx.user is their row, created on first use if no webhook made it yet. */
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const { caller } = ctx;
  if (caller.type !== "user") throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in required" });
  const user = await ctx.services.users.ensureForSession(caller.clerkUserId, caller.claims);
  return next({ ctx: { caller, user } });
});

/** Server-to-server callers holding one of SERVICE_API_KEYS. */
export const serviceProcedure = publicProcedure.use(({ ctx, next }) => {
  const { caller } = ctx;
  if (caller.type !== "service")
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Service credential required" });
  return next({ ctx: { caller } });
});

/** Either a signed-in user or a service; handlers decide what each may see. */
export const userOrServiceProcedure = publicProcedure.use(({ ctx, next }) => {
  const { caller } = ctx;
  if (caller.type === "anonymous") throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in required" });
  return next({ ctx: { caller } });
});
