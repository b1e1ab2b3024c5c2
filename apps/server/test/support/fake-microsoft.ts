// A loopback stand-in for the Microsoft identity platform (v2.0 authorize/token) and Graph's GET /me,
// following the documented contracts: PKCE S256, refresh tokens only with offline_access and rotated on
// every use (the old one stops working), invalid_grant once a grant is revoked.
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

export interface FakeMicrosoftAccount {
  mail: string | null;
  userPrincipalName: string;
}

export async function startFakeMicrosoft() {
  const clientId = "ms-client-id";
  const clientSecret = "ms-client-secret-value";
  const codes = new Map<string, PendingCode>();
  const liveRefreshTokens = new Map<string, string>(); // refresh token -> account email
  const liveAccessTokens = new Map<string, string>(); // access token -> account email
  const state = {
    account: {
      mail: "landlord@contoso.example",
      userPrincipalName: "landlord@contoso.example",
    } as FakeMicrosoftAccount,
    accessTokenLifetimeSeconds: 3600,
    /** Slows refresh answers so concurrent callers really overlap. */
    refreshDelayMs: 0,
    denyNext: false,
    tokenRequests: [] as Array<{ grantType: string; ok: boolean }>,
    /** Every token this fake ever issued, to assert none reaches the database or an API answer. */
    issued: [] as string[],
  };

  const issue = (email: string, offline: boolean, scope: string) => {
    const accessToken = randomToken("ms-at-");
    liveAccessTokens.set(accessToken, email);
    state.issued.push(accessToken);
    const body: Record<string, unknown> = {
      token_type: "Bearer",
      scope,
      expires_in: state.accessTokenLifetimeSeconds,
      ext_expires_in: state.accessTokenLifetimeSeconds,
      access_token: accessToken,
    };
    if (offline) {
      const refreshToken = randomToken("ms-rt-");
      liveRefreshTokens.set(refreshToken, email);
      state.issued.push(refreshToken);
      body.refresh_token = refreshToken;
    }
    return body;
  };

  const server = await startLoopback(async (req, res, url) => {
    const tenantPath = /^\/([^/]+)\/oauth2\/v2\.0\/(authorize|token)$/.exec(url.pathname);
    if (req.method === "GET" && tenantPath?.[2] === "authorize") {
      const problem = authorizeProblem(url, clientId);
      if (problem) return oauthError(res, 400, problem);
      const q = url.searchParams;
      const back = new URL(q.get("redirect_uri") ?? "");
      back.searchParams.set("state", q.get("state") ?? "");
      if (state.denyNext) {
        state.denyNext = false;
        back.searchParams.set("error", "access_denied");
        back.searchParams.set("error_description", "AADSTS65004: User declined to consent");
        return redirect(res, back.toString());
      }
      const code = randomToken("ms-code-");
      const scope = q.get("scope") ?? "";
      codes.set(code, {
        challenge: q.get("code_challenge") ?? "",
        redirectUri: q.get("redirect_uri") ?? "",
        scope,
        email: state.account.mail ?? state.account.userPrincipalName,
        offline: scope.split(" ").includes("offline_access"),
      });
      back.searchParams.set("code", code);
      return redirect(res, back.toString());
    }
    if (req.method === "POST" && tenantPath?.[2] === "token") {
      const form = await readForm(req);
      const grantType = form.get("grant_type") ?? "";
      const record = (ok: boolean) => state.tokenRequests.push({ grantType, ok });
      if (form.get("client_id") !== clientId || form.get("client_secret") !== clientSecret) {
        record(false);
        return oauthError(res, 401, "invalid_client", "AADSTS7000215: Invalid client secret provided.");
      }
      if (grantType === "authorization_code") {
        const redeemed = redeemCode(codes, form);
        record(typeof redeemed !== "string");
        if (typeof redeemed === "string")
          return oauthError(res, 400, "invalid_grant", `AADSTS70008: ${redeemed}`);
        return sendJson(res, 200, issue(redeemed.email, redeemed.offline, redeemed.scope));
      }
      if (grantType === "refresh_token") {
        const presented = form.get("refresh_token") ?? "";
        const email = liveRefreshTokens.get(presented);
        // Rotation: the presented token is spent whether or not the answer arrives.
        liveRefreshTokens.delete(presented);
        await sleep(state.refreshDelayMs);
        record(email !== undefined);
        if (!email)
          return oauthError(res, 400, "invalid_grant", "AADSTS50173: The provided grant has expired");
        return sendJson(res, 200, issue(email, true, form.get("scope") ?? ""));
      }
      record(false);
      return oauthError(res, 400, "unsupported_grant_type");
    }
    if (req.method === "GET" && url.pathname === "/v1.0/me") {
      const email = liveAccessTokens.get(bearer(req) ?? "");
      if (!email) return sendJson(res, 401, { error: { code: "InvalidAuthenticationToken" } });
      return sendJson(res, 200, {
        id: "00000000-0000-0000-0000-000000000001",
        mail: state.account.mail,
        userPrincipalName: state.account.userPrincipalName,
      });
    }
    sendJson(res, 404, { error: "not_found" });
  });

  return {
    ...server,
    state,
    clientId,
    /** The server's MICROSOFT_* environment pointing at this fake. */
    env: {
      MICROSOFT_CLIENT_ID: clientId,
      MICROSOFT_CLIENT_SECRET: clientSecret,
      MICROSOFT_TENANT_ID: "common",
      MICROSOFT_LOGIN_URL: server.url,
      MICROSOFT_GRAPH_URL: `${server.url}/v1.0`,
    },
    refreshRequests: () =>
      state.tokenRequests.filter((request) => request.grantType === "refresh_token").length,
    /** The user withdrew consent: every refresh token now answers invalid_grant. */
    revokeAllGrants: () => liveRefreshTokens.clear(),
    denyNextAuthorization: () => {
      state.denyNext = true;
    },
  };
}

export type FakeMicrosoft = Awaited<ReturnType<typeof startFakeMicrosoft>>;
