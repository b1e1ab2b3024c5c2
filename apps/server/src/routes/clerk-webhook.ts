/**
 * POST /webhooks/clerk: Clerk's user events, delivered by Svix. This file only handles HTTP: the raw
 * body, the signature, and mapping results to status codes. What an event does is the Clerk sync
 * service's business.
 *
 * Status codes tell Svix what to do: 2xx = done (also for duplicates, ignored types and signed bodies
 * that can never be applied), 4xx = not from Clerk (signature, timestamp, size), 5xx = try again later
 * (Svix retries for about 5 days).
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
    try {
      // Signed but never applicable (not JSON, not a Clerk event, impossible data): recorded as
      // rejected and acknowledged with 200, since Svix retries any other answer for days in vain.
      const delivery = { svixId: verified.svixId, body: body.ok ? body.value : undefined };
      const result = body.ok
        ? await services.clerkSync.handleDelivery(delivery)
        : await services.clerkSync.reject(delivery, "body is not JSON");
      const fields = { svixId: verified.svixId, ...result };
      if (result.outcome === "ignored") log.info(fields, "webhook event type not handled; acknowledged");
      else if (result.outcome === "rejected") log.warn(fields, "webhook delivery rejected; acknowledged");
      else log.info(fields, "webhook delivery handled");
      res.locals.webhookOutcome = result.outcome; // for /metrics
      res.status(200).json({ received: true, outcome: result.outcome });
    } catch (error) {
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
