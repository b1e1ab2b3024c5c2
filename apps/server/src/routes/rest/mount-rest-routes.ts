import type { Services } from "@viewings/api";
import type { ErrorRequestHandler, Request, Response, Router } from "express";
import { z } from "zod";
import { callerOf } from "../../auth/authenticate.js";
import type { Logger } from "../../logger.js";
import { procedureCallerFor } from "./procedure-caller.js";
import { fieldProblems, sendInvalidInput, sendProcedureError, sendUnauthorized } from "./rest-errors.js";
import type { RestRoute } from "./rest-route.js";

const emptyObject = z.object({});

/** `/users/{user_id}` -> `/users/:user_id`. */
export const expressPath = (openApiPath: string) => openApiPath.replace(/\{(\w+)\}/g, ":$1");

type Parsed = { ok: true; value: unknown } | { ok: false; issues: z.core.$ZodIssue[] };

function parsePart(schema: z.ZodObject | undefined, value: unknown): Parsed {
  const result = (schema ?? emptyObject).safeParse(value ?? {});
  return result.success ? { ok: true, value: result.data } : { ok: false, issues: result.error.issues };
}

function handler(route: RestRoute, services: Services, logger: Logger) {
  return async (req: Request, res: Response) => {
    // Credentials first: an anonymous caller learns nothing about the route's input.
    if (callerOf(res).type === "anonymous") return sendUnauthorized(res);
    const body = typeof req.body === "object" && req.body !== null ? req.body : {};
    const parts = [
      parsePart(route.request.path, req.params),
      parsePart(route.request.query, req.query),
      parsePart(route.request.body, body),
    ] as const;
    const issues = parts.flatMap((part) => (part.ok ? [] : part.issues));
    if (issues.length > 0) return sendInvalidInput(res, fieldProblems(issues));
    const [path, query, parsedBody] = parts.map((part) => (part.ok ? part.value : {}));
    try {
      const result = await route.handle(
        { path, query, body: parsedBody, headers: req.headers } as Parameters<RestRoute["handle"]>[0],
        procedureCallerFor(res, services),
      );
      if (result.status === 307) res.status(307).location(result.location);
      res.status(result.status).json(result.body);
    } catch (error) {
      sendProcedureError(res, error, {
        ...(route.fieldNames ? { renames: route.fieldNames } : {}),
        onInternal: (cause) => logger.error({ err: cause, route: route.path }, "REST route failed"),
      });
    }
  };
}

/** Malformed JSON bodies are invalid input too (422), as FastAPI answered them. */
const invalidJson: ErrorRequestHandler = (error, _req, res, next) => {
  if (error?.type !== "entity.parse.failed") return next(error);
  sendInvalidInput(res, [{ field: "body", message: "not valid JSON" }]);
};

/** Registers each route on the router with its full path; credentials are established before. */
export function mountRestRoutes(
  router: Router,
  routes: readonly RestRoute[],
  services: Services,
  logger: Logger,
) {
  for (const route of routes) router[route.method](expressPath(route.path), handler(route, services, logger));
  router.use(invalidJson);
}
