/**
 * The bearer fast path (src/auth/bearer-session.ts) must give Clerk's verdict for every token. Each case
 * is answered three ways: by @clerk/backend's own authenticateRequest + toAuth (the reference), by the
 * server's authentication step on a real Express app (twice: the second answer may come from the
 * verified-token cache), and the expected verdict is written down too, so that a case both sides get
 * wrong the same way still fails.
 */
import type { AddressInfo } from "node:net";
import { createClerkClient } from "@clerk/backend";
import express from "express";
import { base64url, exportSPKI, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { callerOf, createAuthenticate } from "../src/auth/authenticate.js";
import type { ClerkConfig } from "../src/config.js";

type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];

const app = "https://app.example.com";
const now = () => Math.floor(Date.now() / 1000);

let ownKey: PrivateKey;
let foreignKey: PrivateKey;
let publicKeyPem: string;

interface TokenShape {
  payload?: JWTPayload;
  header?: Record<string, unknown>;
  key?: PrivateKey;
  /** Seconds relative to now. */
  exp?: number;
  nbf?: number;
  iat?: number;
  sub?: string | null;
}

function sign(shape: TokenShape = {}): Promise<string> {
  const jwt = new SignJWT({ sid: "sess_parity", email: "parity@example.com", azp: app, ...shape.payload })
    .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: "ins_parity", ...shape.header })
    .setIssuer("https://parity-00.clerk.accounts.dev")
    .setIssuedAt(now() + (shape.iat ?? -5))
    .setNotBefore(now() + (shape.nbf ?? -5))
    .setExpirationTime(now() + (shape.exp ?? 300));
  if (shape.sub !== null) jwt.setSubject(shape.sub ?? "user_parity");
  return jwt.sign(shape.key ?? ownKey);
}

const encode = (value: unknown) => base64url.encode(JSON.stringify(value));

/** A token whose signature is computed by hand (for algorithms jose refuses to sign with an RSA key). */
async function handMade(header: Record<string, unknown>, signature: (input: string) => Promise<string>) {
  const input = `${encode(header)}.${encode({ sub: "user_parity", exp: now() + 300, iat: now() - 5 })}`;
  return `${input}.${await signature(input)}`;
}

async function hs256WithPublicKey(): Promise<string> {
  // The classic confusion attack: the RSA public key (which anyone may have) used as an HMAC secret.
  const { createHmac } = await import("node:crypto");
  return handMade({ alg: "HS256", typ: "JWT" }, async (input) =>
    createHmac("sha256", publicKeyPem).update(input).digest("base64url"),
  );
}

async function tampered(): Promise<string> {
  const [header, , signature] = (await sign()).split(".");
  return `${header}.${encode({ sub: "user_someone_else", exp: now() + 300, iat: now() - 5 })}.${signature}`;
}

interface Case {
  name: string;
  headers: () => Promise<Record<string, string>>;
  /** The Clerk user id Clerk signs in, or null; per configuration when they differ. */
  expected: { open: string | null; strict: string | null };
}

const user = "user_parity";
const both = (verdict: string | null) => ({ open: verdict, strict: verdict });
const bearer = (token: () => Promise<string>) => async () => ({ authorization: `Bearer ${await token()}` });

const cases: Case[] = [
  { name: "valid", headers: bearer(() => sign()), expected: both(user) },
  {
    name: "missing azp",
    headers: bearer(() => sign({ payload: { azp: undefined } })),
    expected: { open: user, strict: null },
  },
  { name: "expired inside the clock skew", headers: bearer(() => sign({ exp: -2 })), expected: both(user) },
  { name: "expired outside the clock skew", headers: bearer(() => sign({ exp: -60 })), expected: both(null) },
  { name: "not yet valid (nbf)", headers: bearer(() => sign({ nbf: 60 })), expected: both(null) },
  { name: "nbf inside the clock skew", headers: bearer(() => sign({ nbf: 2 })), expected: both(user) },
  { name: "issued in the future (iat)", headers: bearer(() => sign({ iat: 60 })), expected: both(null) },
  { name: "wrong key", headers: bearer(() => sign({ key: foreignKey })), expected: both(null) },
  { name: "tampered payload", headers: bearer(tampered), expected: both(null) },
  { name: "malformed (three parts)", headers: bearer(async () => "not.a.jwt"), expected: both(null) },
  { name: "malformed (one part)", headers: bearer(async () => "garbage"), expected: both(null) },
  {
    name: "wrong azp",
    headers: bearer(() => sign({ payload: { azp: "https://evil.example.com" } })),
    expected: { open: user, strict: null },
  },
  { name: "missing sub", headers: bearer(() => sign({ sub: null })), expected: both(null) },
  {
    name: "alg none",
    headers: bearer(() => handMade({ alg: "none", typ: "JWT" }, async () => "")),
    expected: both(null),
  },
  { name: "HS256 signed with the public key", headers: bearer(hs256WithPublicKey), expected: both(null) },
  {
    name: "pending session (sts)",
    headers: bearer(() => sign({ payload: { sts: "pending" } })),
    expected: both(null),
  },
  {
    name: "non-session JWT category",
    headers: bearer(() => sign({ header: { cat: "cl_B7d4PD333AAA" } })),
    expected: both(null),
  },
  {
    name: "OAuth access token (typ at+jwt)",
    headers: bearer(() => sign({ header: { typ: "at+jwt" } })),
    expected: both(null),
  },
  { name: "M2M token subject", headers: bearer(() => sign({ sub: "mch_parity" })), expected: both(null) },
  {
    name: "API key prefix",
    headers: async () => ({ authorization: "Bearer ak_0123456789" }),
    expected: both(null),
  },
  {
    name: "no scheme (bare token)",
    headers: async () => ({ authorization: await sign() }),
    expected: both(user),
  },
  {
    name: "lower-case scheme",
    headers: async () => ({ authorization: `bearer ${await sign()}` }),
    expected: both(null),
  },
  {
    name: "another scheme",
    headers: async () => ({ authorization: `Basic ${await sign()}` }),
    expected: both(null),
  },
  {
    name: "cookie only",
    headers: async () => ({ cookie: `__session=${await sign()}` }),
    expected: both(null),
  },
  { name: "nothing", headers: async () => ({}), expected: both(null) },
];

function clerkConfig(authorizedParties: string[]): ClerkConfig {
  return {
    secretKey: "sk_test_0123456789abcdef0123456789abcdef",
    publishableKey: `pk_test_${Buffer.from("parity-00.clerk.accounts.dev$").toString("base64")}`,
    jwtKey: publicKeyPem,
    authorizedParties,
    apiUrl: undefined,
    apiTimeoutMs: 3000,
    devInstance: false,
  };
}

interface Side {
  config: ClerkConfig;
  url: string;
  close(): Promise<void>;
}

/** The server's authentication step on a real Express app; GET /whoami answers the caller it established. */
async function startAuthApp(config: ClerkConfig): Promise<Side> {
  const server = express()
    .use(createAuthenticate(config, ["svc_parity_key_0123456789"]).authenticate)
    .get("/whoami", (_req, res) => {
      const caller = callerOf(res);
      res.json({ clerkUserId: caller.type === "user" ? caller.clerkUserId : null });
    })
    .listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    config,
    url: `http://127.0.0.1:${port}/whoami`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** Clerk's verdict: the full authenticateRequest (what clerkMiddleware runs) and toAuth's userId. */
async function clerkVerdict(config: ClerkConfig, url: string, headers: Record<string, string>) {
  const clerk = createClerkClient({
    secretKey: config.secretKey,
    publishableKey: config.publishableKey,
    jwtKey: config.jwtKey,
  });
  const state = await clerk.authenticateRequest(
    new Request(url, { headers: { accept: "application/json", ...headers } }),
    config.authorizedParties.length > 0 ? { authorizedParties: config.authorizedParties } : {},
  );
  const auth = state.toAuth();
  return auth && "userId" in auth ? (auth.userId ?? null) : null;
}

async function serverVerdict(url: string, headers: Record<string, string>) {
  const response = await fetch(url, { headers: { accept: "application/json", ...headers } });
  if (!response.ok) throw new Error(await response.text());
  return ((await response.json()) as { clerkUserId: string | null }).clerkUserId;
}

const sides: Record<"open" | "strict", Side> = {} as never;
beforeAll(async () => {
  const own = await generateKeyPair("RS256", { modulusLength: 2048, extractable: true });
  ownKey = own.privateKey;
  publicKeyPem = await exportSPKI(own.publicKey);
  foreignKey = (await generateKeyPair("RS256", { modulusLength: 2048 })).privateKey;
  sides.open = await startAuthApp(clerkConfig([]));
  sides.strict = await startAuthApp(clerkConfig([app, "https://admin.example.com"]));
});
afterAll(async () => {
  await Promise.all(Object.values(sides).map((side) => side.close()));
});

describe.each(["open", "strict"] as const)("bearer fast path vs Clerk (%s authorized parties)", (mode) => {
  it.each(cases)("$name", async ({ headers, expected }) => {
    const side = sides[mode];
    const sent = await headers();
    const clerk = await clerkVerdict(side.config, side.url, sent);
    const first = await serverVerdict(side.url, sent);
    const again = await serverVerdict(side.url, sent);
    expect({ clerk, first, again }).toEqual({
      clerk: expected[mode],
      first: expected[mode],
      again: expected[mode],
    });
  });
});
