import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.js";

export type { Caller, SessionClaims } from "./caller.js";
export { DomainError, type DomainErrorKind } from "./errors.js";
export { type AppRouter, appRouter } from "./root.js";
export { createServices, type ServiceDependencies, type Services } from "./services/index.js";
export type { ClerkProfile, ClerkProfileSource } from "./services/users/clerk-profile-source.js";
export { type Context, createCallerFactory, createContext } from "./trpc.js";

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
