import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type ClerkUserFixture, clerkUserData } from "./svix.js";

export interface ClerkApiServer {
  /** Base URL to give the server as CLERK_API_URL. */
  url: string;
  /** Users the API knows, by id. */
  users: Map<string, ClerkUserFixture>;
  /** Answer every request with this status instead, or never answer ("hang"); undefined: behave. */
  failure: number | "hang" | undefined;
  /** Every request received: method, path and the Authorization header. */
  requests: { method: string; path: string; authorization: string | undefined }[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown) {
  // @clerk/backend parses the body as JSON only when Content-Type is exactly "application/json".
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

/**
 * A loopback stand-in for Clerk's Backend API, implementing the one call this backend makes:
 * `GET /v1/users/{id}` (what @clerk/backend's users.getUser requests: apiUrl + "/v1" + "/users/" + id),
 * answering Clerk's User object or Clerk's 404 error shape.
 */
export async function startClerkApiServer(): Promise<ClerkApiServer> {
  const users = new Map<string, ClerkUserFixture>();
  const requests: ClerkApiServer["requests"] = [];
  const api = { failure: undefined as ClerkApiServer["failure"] };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    requests.push({ method: req.method ?? "", path, authorization: req.headers.authorization });
    if (api.failure === "hang") return;
    if (api.failure)
      return send(res, api.failure, { errors: [{ code: "failure", message: "test failure" }] });
    const match = /^\/v1\/users\/([^/]+)$/.exec(path);
    const user = match?.[1] && req.method === "GET" ? users.get(decodeURIComponent(match[1])) : undefined;
    if (user) return send(res, 200, clerkUserData(user));
    send(res, 404, {
      errors: [{ code: "resource_not_found", message: "not found", long_message: "Resource not found" }],
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, {
    url: `http://127.0.0.1:${port}`,
    users,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
