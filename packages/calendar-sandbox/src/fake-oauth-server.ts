// Shared plumbing of the loopback OAuth fakes (fake-microsoft.ts, fake-google.ts): an HTTP server on
// 127.0.0.1, form parsing, and the RFC 6749/7636 checks both providers document.
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void> | void;

export async function startLoopback(handler: Handler): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    Promise.resolve(handler(req, res, url)).catch((error: unknown) => {
      sendJson(res, 500, { error: "fake_failure", error_description: String(error) });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const type = req.headers["content-type"] ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded"))
    throw new Error(`unexpected content-type ${type}`);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

export function oauthError(res: ServerResponse, status: number, error: string, description = error): void {
  sendJson(res, status, { error, error_description: description });
}

export function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location }).end();
}

export const randomToken = (prefix: string) => `${prefix}${randomBytes(18).toString("base64url")}`;

/** RFC 7636 S256. */
export const s256 = (verifier: string) => createHash("sha256").update(verifier).digest("base64url");

export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice(7) : undefined;
}

/** An authorization code waiting to be exchanged, remembering what the authorize request bound it to. */
export interface PendingCode {
  challenge: string;
  redirectUri: string;
  scope: string;
  email: string;
  offline: boolean;
}

/**
 * Checks an authorize request's PKCE parameters as both providers require for this app (S256 only)
 * and returns the error to redirect with, or null.
 */
export function authorizeProblem(url: URL, clientId: string): string | null {
  const q = url.searchParams;
  if (q.get("client_id") !== clientId) return "unauthorized_client";
  if (q.get("response_type") !== "code") return "unsupported_response_type";
  if (!q.get("redirect_uri") || !q.get("state")) return "invalid_request";
  if (q.get("code_challenge_method") !== "S256" || (q.get("code_challenge") ?? "").length < 43) {
    return "invalid_request";
  }
  return null;
}

/** Redeems a code: single use, same redirect_uri, and the verifier must hash to the challenge. */
export function redeemCode(codes: Map<string, PendingCode>, form: URLSearchParams): PendingCode | string {
  const code = form.get("code") ?? "";
  const pending = codes.get(code);
  codes.delete(code);
  if (!pending) return "code unknown or already used";
  if (form.get("redirect_uri") !== pending.redirectUri)
    return "redirect_uri differs from the authorize request";
  if (s256(form.get("code_verifier") ?? "") !== pending.challenge) return "PKCE verification failed";
  return pending;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What the browser does after calendar.connect: opens the authorization URL (the fake redirects to our
 * callback), follows that to the server, and stops at the server's redirect to the frontend.
 */
export async function followAuthorization(
  authorizationUrl: string,
): Promise<{ callbackUrl: URL; landing: URL }> {
  const authorize = await fetch(authorizationUrl, { redirect: "manual" });
  const callbackLocation = authorize.headers.get("location");
  if (authorize.status !== 302 || !callbackLocation) {
    throw new Error(`authorize answered ${authorize.status}: ${await authorize.text()}`);
  }
  const callbackUrl = new URL(callbackLocation);
  const landing = await followCallback(callbackUrl);
  return { callbackUrl, landing };
}

/** Opens a callback URL as the browser would and returns where the server sends it next. */
export async function followCallback(callbackUrl: URL | string): Promise<URL> {
  const callback = await fetch(callbackUrl, { redirect: "manual" });
  const location = callback.headers.get("location");
  if (callback.status !== 303 || !location) {
    throw new Error(`callback answered ${callback.status}: ${await callback.text()}`);
  }
  return new URL(location);
}
