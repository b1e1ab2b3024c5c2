import { type Services, toolInvocations, type VapiRequest, vapiRequestSchema } from "@viewings/api";
import { isDatabaseUnavailable } from "@viewings/db";
import express, { type Request, type Response, Router } from "express";
import { logOf } from "../http/request-logger.js";

/** VAPI sends its credential as a bearer token, or as X-Vapi-Secret in the legacy setup. */
function presentedSecret(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  const legacy = req.headers["x-vapi-secret"];
  return typeof legacy === "string" && legacy.length > 0 ? legacy : undefined;
}

type VapiMessage = VapiRequest["message"];
type ToolResults = Awaited<ReturnType<Services["voiceAgent"]["answer"]>>;

const databaseDownAnswer = "I can't reach the booking system right now. Please try again in a moment.";

/** The legacy function-call shape expected a single { result }; tool-calls get one result per call. */
function sendResults(res: Response, message: VapiMessage, results: ToolResults): void {
  if (message.type === "function-call" && !message.toolCallList) {
    const [first] = results;
    return void res.json(
      first && "result" in first ? { result: first.result } : { result: first?.error ?? "" },
    );
  }
  res.json({ results });
}

async function answer(req: Request, res: Response, services: Services, message: VapiMessage, secret: string) {
  const resolution = await services.voiceAgent.resolve(message, secret);
  if (resolution.outcome === "refused") {
    logOf(req).warn({ reason: resolution.reason }, "vapi request refused");
    return void res.status(401).json({ error: "Invalid VAPI credential" });
  }
  if (resolution.outcome === "ambiguous") {
    // Nobody is served; the operator can tell the owners apart, the callers cannot.
    logOf(req).warn(
      { assistantId: resolution.assistantId, agentIds: resolution.agentIds },
      "vapi call refused: a shared secret named an assistant id registered by several users",
    );
  }
  if (message.type !== "tool-calls" && message.type !== "function-call") return void res.json({});

  const results = await services.voiceAgent.answer(message, resolution);
  logOf(req).info(
    {
      agentId: resolution.outcome === "agent" ? resolution.agent.id : undefined,
      tools: results.length,
      failed: results.filter((r) => "error" in r).length,
    },
    "vapi tool calls answered",
  );
  res.locals.webhookOutcome = "answered"; // for /metrics
  sendResults(res, message, results);
}

/**
 * POST /webhooks/vapi: VAPI's server URL. Tool calls always get HTTP 200 with one result per call (VAPI
 * reads errors from the results); only a missing or wrong credential is refused, with 401.
 */
export function vapiWebhookRoutes(services: Services): Router {
  const routes = Router();
  routes.post("/webhooks/vapi", express.json({ limit: "512kb" }), async (req, res) => {
    const secret = presentedSecret(req);
    if (!secret) return void res.status(401).json({ error: "Missing VAPI credential" });
    const parsed = vapiRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      const field = parsed.error.issues[0]?.path.join(".") || "body";
      return void res.status(400).json({ error: `Not a VAPI server message: ${field} is invalid` });
    }
    const { message } = parsed.data;
    try {
      await answer(req, res, services, message, secret);
    } catch (error) {
      // The assistant, its landlord and its secret all live in the database: without it, the caller
      // still hears an answer (VAPI needs its 200) and nothing is booked.
      if (!isDatabaseUnavailable(error) || res.headersSent) throw error;
      logOf(req).warn({ err: error }, "vapi tool calls answered with a retry: database unavailable");
      res.locals.webhookOutcome = "database_unavailable";
      const results = toolInvocations(message).map((call) => ({
        toolCallId: call.id,
        error: databaseDownAnswer,
      }));
      sendResults(res, message, results);
    }
  });
  return routes;
}
