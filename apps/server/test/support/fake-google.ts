// A loopback stand-in for Google's OAuth 2.0 endpoints (authorize, token, revoke) and the OpenID
// userinfo endpoint, following the documented contracts: PKCE S256, a refresh token only with
// access_type=offline, refresh answers WITHOUT a refresh_token (the old one stays valid),
// invalid_grant once revoked.
import {
  authorizeProblem,
  bearer,
  oauthError,
  type PendingCode,
  randomToken,
  readForm,
  redeemCode,
  redirect,
  sendJson,
  sleep,
  startLoopback,
} from "./fake-oauth-server.js";

export async function startFakeGoogle() {
  const clientId = "google-client-id.apps.googleusercontent.com";
  const clientSecret = "GOCSPX-google-client-secret";
  const codes = new Map<string, PendingCode>();
  const liveRefreshTokens = new Map<string, string>();
  const liveAccessTokens = new Map<string, string>();
  const state = {
    email: "owner@gmail.example",
    accessTokenLifetimeSeconds: 3599,
    refreshDelayMs: 0,
    denyNext: false,
    tokenRequests: [] as Array<{ grantType: string; ok: boolean }>,
    revoked: [] as string[],
    issued: [] as string[],
  };

  const accessToken = (email: string) => {
    const token = randomToken("ya29.g-at-");
    liveAccessTokens.set(token, email);
    state.issued.push(token);
    return token;
  };

  const server = await startLoopback(async (req, res, url) => {
    if (req.method === "GET" && url.pathname === "/o/oauth2/v2/auth") {
      const problem = authorizeProblem(url, clientId);
      if (problem) return oauthError(res, 400, problem);
      const q = url.searchParams;
      const back = new URL(q.get("redirect_uri") ?? "");
      if (state.denyNext) {
        state.denyNext = false;
        back.searchParams.set("error", "access_denied");
        back.searchParams.set("state", q.get("state") ?? "");
        return redirect(res, back.toString());
      }
      const code = randomToken("4/g-code-");
      codes.set(code, {
        challenge: q.get("code_challenge") ?? "",
        redirectUri: q.get("redirect_uri") ?? "",
        scope: q.get("scope") ?? "",
        email: state.email,
        offline: q.get("access_type") === "offline",
      });
      // Google puts state first, then code and scope.
      back.searchParams.set("state", q.get("state") ?? "");
      back.searchParams.set("code", code);
      back.searchParams.set("scope", q.get("scope") ?? "");
      return redirect(res, back.toString());
    }
    if (req.method === "POST" && url.pathname === "/token") {
      const form = await readForm(req);
      const grantType = form.get("grant_type") ?? "";
      const record = (ok: boolean) => state.tokenRequests.push({ grantType, ok });
      if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) {
        record(false);
        return oauthError(res, 401, "invalid_client", "The OAuth client was not found.");
      }
      if (grantType === "authorization_code") {
        const redeemed = redeemCode(codes, form);
        record(typeof redeemed !== "string");
        if (typeof redeemed === "string") return oauthError(res, 400, "invalid_grant", redeemed);
        const body: Record<string, unknown> = {
          access_token: accessToken(redeemed.email),
          expires_in: state.accessTokenLifetimeSeconds,
          scope: redeemed.scope,
          token_type: "Bearer",
        };
        if (redeemed.offline) {
          const refreshToken = randomToken("1//g-rt-");
          liveRefreshTokens.set(refreshToken, redeemed.email);
          state.issued.push(refreshToken);
          body.refresh_token = refreshToken;
        }
        return sendJson(res, 200, body);
      }
      if (grantType === "refresh_token") {
        await sleep(state.refreshDelayMs);
        const email = liveRefreshTokens.get(form.get("refresh_token") ?? "");
        record(email !== undefined);
        if (!email) return oauthError(res, 400, "invalid_grant", "Token has been expired or revoked.");
        // No refresh_token in the answer: Google keeps the existing one valid.
        return sendJson(res, 200, {
          access_token: accessToken(email),
          expires_in: state.accessTokenLifetimeSeconds,
          scope: "openid email",
          token_type: "Bearer",
        });
      }
      record(false);
      return oauthError(res, 400, "unsupported_grant_type");
    }
    if (req.method === "POST" && url.pathname === "/revoke") {
      const token = (await readForm(req)).get("token") ?? "";
      const known = liveRefreshTokens.delete(token) || liveAccessTokens.delete(token);
      state.revoked.push(token);
      return known
        ? sendJson(res, 200, {})
        : oauthError(res, 400, "invalid_token", "Token expired or revoked");
    }
    if (req.method === "GET" && url.pathname === "/oauth2/v3/userinfo") {
      const email = liveAccessTokens.get(bearer(req) ?? "");
      if (!email) return oauthError(res, 401, "invalid_request", "Invalid Credentials");
      return sendJson(res, 200, { sub: "1234567890", email, email_verified: true });
    }
    sendJson(res, 404, { error: "not_found" });
  });

  return {
    ...server,
    state,
    clientId,
    env: {
      GOOGLE_CLIENT_ID: clientId,
      GOOGLE_CLIENT_SECRET: clientSecret,
      GOOGLE_AUTH_URL: `${server.url}/o/oauth2/v2/auth`,
      GOOGLE_TOKEN_URL: `${server.url}/token`,
      GOOGLE_REVOKE_URL: `${server.url}/revoke`,
      GOOGLE_API_URL: server.url,
    },
    refreshRequests: () =>
      state.tokenRequests.filter((request) => request.grantType === "refresh_token").length,
    revokeAllGrants: () => liveRefreshTokens.clear(),
    denyNextAuthorization: () => {
      state.denyNext = true;
    },
  };
}

export type FakeGoogle = Awaited<ReturnType<typeof startFakeGoogle>>;
