import type { VapiToolDefinition } from "@viewings/validators";
import type { SchedulingRules } from "../scheduling/booking-rules.js";
import { describeRules } from "./rules-description.js";

/** Stands where the agent's secret goes when the definitions are handed out without it. */
const webhookSecretPlaceholder = "<agent webhook secret from agents.create or agents.rotateSecret>";

/**
 * How VAPI authenticates the tools' calls: the agent's secret sent as a header (VAPI sends a tool's
 * `server.headers` with each call), or a VAPI credential holding it; undefined puts the placeholder
 * where the secret goes. A header Authorization would override the credential (VAPI's Server object),
 * so the two are never combined.
 */
export type ToolServerAuth = { secret: string } | { credentialId: string } | undefined;

function toolServer(url: string, auth: ToolServerAuth): VapiToolDefinition["server"] {
  if (auth && "credentialId" in auth) return { url, credentialId: auth.credentialId };
  return { url, headers: { Authorization: `Bearer ${auth?.secret ?? webhookSecretPlaceholder}` } };
}

/**
 * The function tools to paste into a VAPI assistant (Tools > Function, server URL = this backend's
 * /webhooks/vapi). Descriptions tell the model to send ISO 8601 times, which the backend reads in the
 * landlord's time zone when they carry no offset.
 */
export function vapiToolDefinitions(
  serverUrl: string,
  auth: ToolServerAuth,
  rules: SchedulingRules | null = null,
): VapiToolDefinition[] {
  const server = toolServer(serverUrl, auth);
  // The agent's rules, so the model proposes times that can be booked (the server enforces them anyway).
  const ruleText = rules ? ` ${describeRules(rules)}` : "";
  const fn = (
    name: string,
    description: string,
    properties: Record<string, unknown>,
    required: string[],
  ) => ({
    type: "function" as const,
    async: false,
    server,
    function: { name, description, parameters: { type: "object", properties, required } },
  });
  return [
    fn(
      "check_availability",
      `Finds the landlord's next free property-viewing times. Returns spoken times with an ISO 8601 time in brackets for each; use that exact ISO value when booking.${ruleText}`,
      {
        property_address: { type: "string", description: "The property the caller asks about." },
        days_ahead: {
          type: "integer",
          minimum: 1,
          maximum: 14,
          description: "How many days ahead to look (default 7).",
        },
        date: { type: "string", description: "A specific day to check, as YYYY-MM-DD." },
      },
      [],
    ),
    fn(
      "book_appointment",
      `Books a property viewing on the landlord's calendar. Send start_time in ISO 8601 (e.g. 2026-03-03T14:00); without an offset it is read in the landlord's time zone. If the time is taken or outside the booking rules, the result lists the nearest free times.${ruleText}`,
      {
        property_address: { type: "string", description: "Address of the property to view." },
        start_time: { type: "string", description: "Start of the viewing, ISO 8601, e.g. 2026-03-03T14:00." },
        attendee_name: { type: "string", description: "The caller's full name." },
        attendee_email: { type: "string", description: "The caller's email, for the invitation (optional)." },
        attendee_phone: { type: "string", description: "The caller's phone number (optional)." },
      },
      ["property_address", "start_time", "attendee_name"],
    ),
    fn(
      "cancel_appointment",
      "Cancels a viewing this assistant booked: by the appointment id from the booking result, or by its start time (ISO 8601) when it was booked on this call or from the caller's phone number.",
      {
        appointment_id: { type: "string", description: "The appointment id given when it was booked." },
        start_time: { type: "string", description: "Start of the booked viewing, ISO 8601." },
      },
      [],
    ),
  ];
}
