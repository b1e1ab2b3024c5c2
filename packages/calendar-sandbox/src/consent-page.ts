// The sandbox's stand-in for the providers' consent screens: the developer sees which account is
// connected and clicks Allow or Deny. The form posts back to the authorization URL itself, so a
// browser, a test or `curl -d decision=allow "<authorization URL>"` all drive it the same way.

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

export interface ConsentPageInput {
  provider: string;
  clientId: string;
  scopes: string[];
  /** The account the sandbox signs in as unless the developer types another address. */
  account: string;
  redirectUri: string;
}

export function consentPage({ provider, clientId, scopes, account, redirectUri }: ConsentPageInput): string {
  const scopeItems = scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join("");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(provider)} sandbox: consent</title>
<style>body{font:16px system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem}
.note{background:#fff4d6;padding:.5rem 1rem;border-radius:6px}button{font-size:1rem;margin-right:1rem}</style></head>
<body>
<p class="note">Calendar sandbox (development only): no real ${escapeHtml(provider)} account is involved.</p>
<h1>Connect a ${escapeHtml(provider)} calendar</h1>
<p>The app <code>${escapeHtml(clientId)}</code> asks to:</p>
<ul>${scopeItems}</ul>
<p>It will send you back to <code>${escapeHtml(redirectUri)}</code>.</p>
<form method="post">
<p><label>Sign in as <input name="email" type="email" value="${escapeHtml(account)}" size="32"></label></p>
<button name="decision" value="allow" type="submit">Allow</button>
<button name="decision" value="deny" type="submit">Deny</button>
</form>
</body>
</html>`;
}
