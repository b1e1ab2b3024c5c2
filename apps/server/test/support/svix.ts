import { randomBytes, randomUUID } from "node:crypto";
import { Webhook } from "svix";

/** A fresh Svix signing secret, shaped like Clerk's ("whsec_" + base64 of 24 random bytes). */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

export interface SignedDelivery {
  svixId: string;
  body: string;
  headers: Record<string, string>;
}

export interface SignOptions {
  svixId?: string;
  /** When Svix sent it; default now. */
  at?: Date;
}

/** Signs `payload` exactly as Svix does, with svix's own `sign`. */
export function signDelivery(secret: string, payload: unknown, options: SignOptions = {}): SignedDelivery {
  const svixId = options.svixId ?? `msg_${randomUUID().replaceAll("-", "")}`;
  const at = options.at ?? new Date();
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  return {
    svixId,
    body,
    headers: {
      "content-type": "application/json",
      "svix-id": svixId,
      "svix-timestamp": String(Math.floor(at.getTime() / 1000)),
      "svix-signature": new Webhook(secret).sign(svixId, at, body),
    },
  };
}

export async function postDelivery(
  serverUrl: string,
  delivery: { body: string; headers: Record<string, string> },
) {
  const response = await fetch(`${serverUrl}/webhooks/clerk`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
  return { status: response.status, body: (await response.json()) as { error?: string; outcome?: string } };
}

export interface ClerkUserFixture {
  id: string;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  createdAt?: number;
  updatedAt: number;
}

/** `data` of a user.created/user.updated event, shaped like Clerk's User object (with fields we ignore). */
export function clerkUserData(user: ClerkUserFixture) {
  const emailId = `idn_${user.id}_primary`;
  const createdAt = user.createdAt ?? 1_700_000_000_000;
  return {
    id: user.id,
    object: "user",
    username: null,
    first_name: user.firstName ?? null,
    last_name: user.lastName ?? null,
    image_url: "https://img.clerk.com/placeholder",
    has_image: false,
    primary_email_address_id: user.email ? emailId : null,
    primary_phone_number_id: null,
    email_addresses: user.email
      ? [
          {
            id: `idn_${user.id}_secondary`,
            object: "email_address",
            email_address: `secondary.${user.id.toLowerCase()}@example.org`,
            verification: { status: "verified", strategy: "email_code" },
            linked_to: [],
          },
          {
            id: emailId,
            object: "email_address",
            email_address: user.email,
            verification: { status: "verified", strategy: "email_code" },
            linked_to: [],
          },
        ]
      : [],
    phone_numbers: [],
    external_accounts: [],
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    password_enabled: true,
    two_factor_enabled: false,
    banned: false,
    locked: false,
    last_sign_in_at: null,
    external_id: null,
    created_at: createdAt,
    updated_at: user.updatedAt,
  };
}

export function clerkUserEvent(type: "user.created" | "user.updated", user: ClerkUserFixture) {
  return {
    object: "event",
    type,
    data: clerkUserData(user),
    timestamp: user.updatedAt,
    instance_id: "ins_test",
    event_attributes: { http_request: { client_ip: "", user_agent: "" } },
  };
}

export function clerkUserDeletedEvent(id: string, timestamp = Date.now()) {
  return {
    object: "event",
    type: "user.deleted",
    data: { id, object: "user", deleted: true },
    timestamp,
    instance_id: "ins_test",
  };
}
