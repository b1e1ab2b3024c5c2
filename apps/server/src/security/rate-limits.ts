/**
 * Rate limits that hold across instances: counters live in PostgreSQL (rate-limiter-flexible's
 * RateLimiterPostgres on the `rate_limits` table, created by a migration), so every instance behind a
 * load balancer sees the same counts. A refused request gets 429 with Retry-After. The busy limits
 * (per user, per address) take their points a small lease at a time (leased-limiter.ts).
 */
import type { Caller } from "@viewings/api";
import type { NextFunction, Request, RequestHandler, Response } from "express";
import type pg from "pg";
import { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { callerOf } from "../auth/authenticate.js";
import type { Limit, RateLimitConfig } from "../config/rate-limits.js";
import type { Logger } from "../logger.js";
import { LeasedLimiter } from "./leased-limiter.js";
import { sendClientError } from "./request-guards.js";

type Limiter = RateLimiterPostgres;

function limiter(pool: pg.Pool, keyPrefix: string, limit: Limit, blockSeconds = 0): Limiter {
  const options = {
    keyPrefix,
    points: limit.points,
    duration: limit.durationSeconds,
    blockDuration: blockSeconds,
  };
  return new RateLimiterPostgres({
    ...options,
    storeClient: pool,
    storeType: "pool",
    tableName: "rate_limits",
    tableCreated: true,
    // If PostgreSQL does not answer, each instance counts alone rather than refusing everyone.
    insuranceLimiter: new RateLimiterMemory(options),
  });
}

function refuse(res: Response, refusal: RateLimiterRes, message: string) {
  res.set("retry-after", String(Math.max(1, Math.ceil(refusal.msBeforeNext / 1000))));
  sendClientError(res, 429, message);
}

/** The client's address as Express sees it (honouring `trust proxy`). */
const addressOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? "unknown";

/** Runs `consume` and answers 429 when it is refused; unexpected store errors let the request pass. */
function consuming(
  consume: (req: Request, res: Response) => Promise<unknown> | undefined,
  message: string,
  logger: Logger,
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const pending = consume(req, res);
    if (!pending) return next();
    pending.then(
      () => next(),
      (error: unknown) => {
        if (error instanceof RateLimiterRes) return refuse(res, error, message);
        logger.error({ err: error }, "rate limiter failed; request let through");
        next();
      },
    );
  };
}

const tooMany = "Too many requests; try again later";

export interface RateLimits {
  /**
   * Locks out an address after a burst of failed credentials (401s); successes cost nothing. A request
   * `alreadyProven` says carries a credential verified before (a cached session) skips the lookup.
   */
  failedAuthentication(alreadyProven?: (req: Request) => boolean): RequestHandler;
  /** Per address, on the OAuth callback routes. */
  oauthCallbacks: RequestHandler;
  /** Per address, on the webhook routes. */
  webhooks: RequestHandler;
  /** After authentication on /trpc: per user (address for anonymous callers), one point per call. */
  trpcCalls: RequestHandler;
}

const pass: RequestHandler = (_req, _res, next) => next();

function perAddress(pool: pg.Pool, prefix: string, limit: Limit | null, logger: Logger): RequestHandler {
  if (!limit) return pass;
  const counter = new LeasedLimiter(limiter(pool, prefix, limit));
  return consuming((req) => counter.consume(addressOf(req)), tooMany, logger);
}

function callerKey(caller: Caller, req: Request): string {
  if (caller.type === "user") return `user:${caller.clerkUserId}`;
  if (caller.type === "service") return `service:${caller.keyIndex}`;
  return `address:${addressOf(req)}`;
}

/** `/trpc/a,b,c` is a batch of three calls. */
const callsIn = (req: Request) => req.path.split(",").length;

export function createRateLimits(pool: pg.Pool, config: RateLimitConfig, logger: Logger): RateLimits {
  const failures =
    config.failedAuth && limiter(pool, "failed-auth", config.failedAuth, config.failedAuthBlockSeconds);
  const failedAuthentication = (alreadyProven: (req: Request) => boolean = () => false): RequestHandler => {
    if (!failures) return pass;
    const lockedOut = "Too many failed authentications from this address; try again later";
    return consuming(
      async (req, res) => {
        if (alreadyProven(req)) return;
        const address = addressOf(req);
        const current = await failures.get(address);
        // Refused once the allowance is spent (and while blocked after it).
        if (current && current.consumedPoints >= failures.points) throw current;
        res.on("finish", () => {
          if (res.statusCode !== 401) return;
          failures.consume(address).catch((error: unknown) => {
            if (!(error instanceof RateLimiterRes)) logger.error({ err: error }, "rate limiter failed");
          });
        });
      },
      lockedOut,
      logger,
    );
  };

  const trpcCalls = ((): RequestHandler => {
    if (!config.trpcUser) return pass;
    const calls = new LeasedLimiter(limiter(pool, "trpc", config.trpcUser));
    return consuming(
      (req, res) => calls.consume(callerKey(callerOf(res), req), callsIn(req)),
      tooMany,
      logger,
    );
  })();

  return {
    failedAuthentication,
    oauthCallbacks: perAddress(pool, "oauth-callback", config.oauthCallback, logger),
    webhooks: perAddress(pool, "webhooks", config.webhooks, logger),
    trpcCalls,
  };
}
