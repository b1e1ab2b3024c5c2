/**
 * tRPC setup, in three parts:
 * 1. the context every procedure receives,
 * 2. the tRPC instance with its error formatter,
 * 3. the procedures routers are built from.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import type { User } from "@viewings/validators";
import { ZodError, z } from "zod";
import type { Caller } from "./caller.js";
import { forbidden } from "./errors.js";
import { toTrpcError } from "./middlewares/domain-errors.js";

// 1. CONTEXT
/**
 * `services` is added to this interface by services/index.ts (module augmentation), so the router's
 * published types reach no backend module: @viewings/client bundles them without the database.
 */
export interface Context {
  caller: Caller;
  /**
   * The user a service caller acts for. Only server-side adapters set it (the REST routes, from a
   * service's user_id); nothing in a tRPC request can. See actingUser() for how it is honoured.
   */
  actingFor?: { userId: string };
  /**
   * "rest": the old backend's paths run the procedure in-process (set by apps/server's REST adapter);
   * the bookings ledger records it as a booking's source, and legacy connect flows are recognised by it.
   */
  via?: "rest";
}

/** Who may call a procedure. Set once on each base procedure below; the OpenAPI document reads it. */
export interface ProcedureMeta {
  auth: "public" | "user" | "service" | "userOrService";
}

export function createContext(opts: Context): Context {
  return opts;
}

// 2. INITIALISATION
/** `z.flattenError`'s shape for any input: clients read `error.data.zodError.fieldErrors.<field>`. */
export interface InputFieldErrors {
  formErrors: string[];
  fieldErrors: Partial<Record<string, string[]>>;
}

function fieldErrorsOf(error: ZodError): InputFieldErrors {
  return z.flattenError(error);
}

/** "email: Invalid email address; firstName: Too big" — names every wrong field in the message. */
function describeZodError(error: ZodError): string {
  return error.issues.map((issue) => `${issue.path.join(".") || "input"}: ${issue.message}`).join("; ");
}

const t = initTRPC
  .context<Context>()
  .meta<ProcedureMeta>()
  .create({
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
          zodError: zodError ? fieldErrorsOf(zodError) : null,
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
export const publicProcedure = t.procedure.meta({ auth: "public" }).use(mapDomainErrors);

/**
 * The user a protected procedure runs as, decided here and nowhere else: the signed-in user (created
 * on first use if no webhook made it yet), who may not act for anyone else; or the user a service
 * caller acts for. A service naming no user, and an anonymous caller, are refused.
 */
async function actingUser({ caller, actingFor, services }: Context): Promise<User> {
  if (caller.type === "user") {
    const user = await services.users.ensureForSession(caller.clerkUserId, caller.claims);
    if (actingFor && actingFor.userId !== user.id) throw forbidden("You may only act for yourself");
    return user;
  }
  if (caller.type === "service" && actingFor) return services.users.getById(actingFor.userId);
  throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in required" });
}

/** A signed-in Clerk user (or a service acting for a named user); ctx.user is that user's row. */
export const protectedProcedure = publicProcedure.meta({ auth: "user" }).use(async ({ ctx, next }) => {
  const user = await actingUser(ctx);
  return next({ ctx: { caller: ctx.caller, user } });
});

/** Server-to-server callers holding one of SERVICE_API_KEYS. */
export const serviceProcedure = publicProcedure.meta({ auth: "service" }).use(({ ctx, next }) => {
  const { caller } = ctx;
  if (caller.type !== "service")
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Service credential required" });
  return next({ ctx: { caller } });
});

/** Either a signed-in user or a service; handlers decide what each may see. */
export const userOrServiceProcedure = publicProcedure.meta({ auth: "userOrService" }).use(({ ctx, next }) => {
  const { caller } = ctx;
  if (caller.type === "anonymous") throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in required" });
  return next({ ctx: { caller } });
});
