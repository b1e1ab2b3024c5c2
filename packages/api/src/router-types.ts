/**
 * The router's types for clients (`@viewings/api/router`). @viewings/client bundles its declarations
 * from this module: nothing reachable from here may import the services or the database.
 */
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "./root.js";

export type { AppRouter };
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
