// Renders the client component with the provider against a running server, with real fetch, and
// reads the user through the server-component proxy. Prints what it saw as JSON.
import { ApiProvider } from "@viewings/client/react";
import { Suspense } from "react";
import { prerenderToNodeStream } from "react-dom/static";
import { serverApi } from "./server-page.js";
import { UserEmail } from "./user-email.js";

const [baseUrl = "", token = ""] = process.argv.slice(2);
const url = `${baseUrl}/trpc`;

const { prelude } = await prerenderToNodeStream(
  <ApiProvider url={url} getToken={() => token}>
    <Suspense fallback={<p>loading</p>}>
      <UserEmail />
    </Suspense>
  </ApiProvider>,
);
let html = "";
for await (const chunk of prelude) html += chunk;

const api = serverApi(url, async () => token);
const me = await api.getQueryClient().fetchQuery(api.trpc.users.me.queryOptions());

console.log(JSON.stringify({ html, serverEmail: me.email }));
