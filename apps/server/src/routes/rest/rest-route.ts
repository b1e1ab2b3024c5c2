import type { z } from "zod";
import type { CallProcedures } from "./procedure-caller.js";

/** Which credentials a route takes; the OpenAPI document turns this into security requirements. */
export type RestAuth =
  /** A Clerk session. */
  | "user"
  /** A service key. */
  | "service"
  /** Either; what each may do is the procedure's decision. */
  | "userOrService"
  /** A Clerk session, or a service key naming the user in `user_id`. */
  | "userOrActingService";

type WireObject = z.ZodObject;

/** What the handler answers: JSON with a status, or a redirect (with a JSON body for API clients). */
export type RestResult<Body> = { status: 200; body: Body } | { status: 307; location: string; body: Body };

export interface RestRequest<P extends WireObject, Q extends WireObject, B extends WireObject> {
  path: z.output<P>;
  query: z.output<Q>;
  body: z.output<B>;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * One REST route: a thin adapter from a wire shape (snake_case, query strings) to a tRPC procedure and
 * back. The schemas parse the request and also describe it in the OpenAPI document, so the two agree.
 */
export interface RestRoute<
  P extends WireObject = WireObject,
  Q extends WireObject = WireObject,
  B extends WireObject = WireObject,
  R extends z.ZodType = z.ZodType,
> {
  method: "get" | "post" | "patch" | "delete";
  /** OpenAPI style: `/users/{user_id}/calendar-status`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: RestAuth;
  /** The tRPC procedure(s) the route runs, named in the document. */
  procedures: string[];
  request: { path?: P; query?: Q; body?: B; headers?: Record<string, string> };
  response: { status: 200 | 307; schema: R; description: string };
  /**
   * Procedure input paths ("workingHours.end") and their names on the wire ("end_hour"), so an invalid
   * field is named as the caller sent it. Unlisted camelCase names are converted to snake_case.
   */
  fieldNames?: Record<string, string>;
  handle(request: RestRequest<P, Q, B>, call: CallProcedures): Promise<RestResult<z.input<R>>>;
}

/** Keeps each route's schema types tied to its handler while the table holds them all. */
export function defineRoute<
  P extends WireObject,
  Q extends WireObject,
  B extends WireObject,
  R extends z.ZodType,
>(route: RestRoute<P, Q, B, R>): RestRoute {
  return route as unknown as RestRoute;
}
