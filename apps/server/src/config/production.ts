import type { Env } from "../env.js";
import { sandboxRequested } from "./sandbox.js";

/** Accepting session tokens minted for any frontend must be chosen, not defaulted to. */
export const anyAuthorizedParty = "*";

/**
 * A loopback URL never crosses a network (a TLS-terminating proxy or a benchmark on the same host), so
 * plain http is no risk there.
 */
function isLoopback(url: string): boolean {
  try {
    return ["127.0.0.1", "[::1]", "localhost"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
}

function insecureUrls(name: string, urls: (string | undefined)[]): string[] {
  const plain = urls.filter((url): url is string => !!url && !url.startsWith("https://") && !isLoopback(url));
  return plain.length > 0 ? [`${name}: must use https:// in production (got ${plain.join(", ")})`] : [];
}

/**
 * What production needs beyond well-formed variables. Every problem is returned, so one failed start
 * names all of them.
 */
export function productionProblems(env: Env): string[] {
  return [
    ...(env.CLERK_AUTHORIZED_PARTIES.length === 0
      ? [
          "CLERK_AUTHORIZED_PARTIES: required in production, the frontend origins allowed as a session token's azp " +
            `(e.g. https://app.example.com); set it to ${anyAuthorizedParty} to accept tokens for any origin`,
        ]
      : []),
    ...insecureUrls("PUBLIC_URL", [env.PUBLIC_URL]),
    ...insecureUrls("FRONTEND_URL", [env.FRONTEND_URL]),
    ...insecureUrls("CORS_ORIGINS", env.CORS_ORIGINS),
    ...(sandboxRequested(env)
      ? [
          "CALENDAR_SANDBOX: the calendar sandbox is for development only; unset CALENDAR_SANDBOX and " +
            "CALENDAR_SANDBOX_URL in production and configure MICROSOFT_* or GOOGLE_*",
        ]
      : []),
  ];
}
