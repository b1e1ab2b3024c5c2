import { type Services, vapiRequestSchema } from "@viewings/api";
import express, { type Request, Router } from "express";

/** VAPI sends its credential as a bearer token, or as X-Vapi-Secret in the legacy setup. */
function presentedSecret(req: Request): string | undefined {
  const header = req.headers.authorization;
  if (header?.startsWith("Bearer ")) return header.slice(7).trim();
  const legacy = req.headers["x-vapi-secret"];
  return typeof legacy === "string" && legacy.length > 0 ? legacy : undefined;
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
    const resolution = await services.voiceAgent.resolve(message, secret);
    if (resolution.outcome === "refused") {
      req.log.warn({ reason: resolution.reason }, "vapi request refused");
      return void res.status(401).json({ error: "Invalid VAPI credential" });
    }
    if (resolution.outcome === "ambiguous") {
      // Nobody is served; the operator can tell the owners apart, the callers cannot.
      req.log.warn(
        { assistantId: resolution.assistantId, agentIds: resolution.agentIds },
        "vapi call refused: a shared secret named an assistant id registered by several users",
      );
    }
    if (message.type !== "tool-calls" && message.type !== "function-call") return void res.json({});

    const results = await services.voiceAgent.answer(message, resolution);
    req.log.info(
      {
        agentId: resolution.outcome === "agent" ? resolution.agent.id : undefined,
        tools: results.length,
        failed: results.filter((r) => "error" in r).length,
      },
      "vapi tool calls answered",
    );
    // The legacy function-call shape expected a single { result }.
    if (message.type === "function-call" && !message.toolCallList) {
      const [first] = results;
      return void res.json(
        first && "result" in first ? { result: first.result } : { result: first?.error ?? "" },
      );
    }
    res.json({ results });
  });
  return routes;
}
