/**
 * POST /webhooks/clerk: Clerk's user events, delivered by Svix. This file only handles HTTP: the raw
 * body, the signature, and mapping results to status codes. What an event does is the Clerk sync
 * service's business.
 *
 * Status codes tell Svix what to do: 2xx = done (also for duplicates and ignored types), 4xx = this
 * request is wrong as sent, 5xx = try again later (Svix retries for about 5 days).
 */
import { DomainError, databaseUnavailableMessage, type Services } from "@viewings/api";
import { isDatabaseUnavailable } from "@viewings/db";
import express, { type Request, type Response, Router } from "express";
import type { Logger } from "../logger.js";
import { createSvixVerifier } from "../webhooks/svix-verifier.js";

export interface ClerkWebhookOptions {
  /** Svix signing secrets; empty: the route answers 503 "webhook not configured". */
  secrets: readonly string[];
  services: Services;
  logger: Logger;
}

// Clerk's user objects are a few KB; metadata is capped at 8 KB per kind.
const bodyLimit = "256kb";

function parseJson(raw: Buffer): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(raw.toString("utf8")) };
  } catch {
    return { ok: false };
  }
}

export function clerkWebhookRoutes({ secrets, services, logger }: ClerkWebhookOptions): Router {
  const routes = Router();
  const log = logger.child({ webhook: "clerk" });
  const verify = createSvixVerifier(secrets);
  // Any content type: the bytes must reach the verifier exactly as sent, whatever the header says.
  const rawBody = express.raw({ type: () => true, limit: bodyLimit });

  routes.post("/webhooks/clerk", rawBody, async (req: Request, res: Response) => {
    if (secrets.length === 0) {
      res.status(503).json({ error: "webhook not configured" });
      return;
    }
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verified = verify(raw, req.headers);
    if (!verified.ok) {
      log.warn({ reason: verified.reason }, "webhook delivery refused");
      res.status(400).json({ error: verified.reason });
      return;
    }
    const body = parseJson(raw);
    if (!body.ok) {
      res.status(400).json({ error: "body is not JSON" });
      return;
    }
    try {
      const result = await services.clerkSync.handleDelivery({ svixId: verified.svixId, body: body.value });
      const fields = { svixId: verified.svixId, ...result };
      if (result.outcome === "ignored") log.info(fields, "webhook event type not handled; acknowledged");
      else log.info(fields, "webhook delivery handled");
      res.locals.webhookOutcome = result.outcome; // for /metrics
      res.status(200).json({ received: true, outcome: result.outcome });
    } catch (error) {
      if (error instanceof DomainError && error.kind === "bad_request") {
        log.warn({ svixId: verified.svixId, reason: error.message }, "webhook delivery refused");
        res.status(400).json({ error: error.message });
        return;
      }
      // Nothing was recorded (the transaction rolled back), so Svix's retry will be processed afresh.
      if (isDatabaseUnavailable(error)) {
        log.warn(
          { svixId: verified.svixId },
          "webhook delivery deferred: database unavailable; Svix will retry",
        );
        res.locals.webhookOutcome = "deferred";
        res.status(503).json({ error: databaseUnavailableMessage });
        return;
      }
      log.error({ err: error, svixId: verified.svixId }, "webhook delivery failed; Svix will retry");
      res.status(500).json({ error: "temporarily unable to process the event" });
    }
  });
  return routes;
}
