// Types generated from /openapi.json by openapi-typescript (src/openapi-schema.ts), calls by openapi-fetch.
import createClient from "openapi-fetch";
import type { paths } from "./openapi-schema.js";

const [baseUrl = "", token = ""] = process.argv.slice(2);
const client = createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });

// A REST route (the old backend's shapes).
const rest = await client.GET("/users/me");

// A tRPC query with input: the document declares `input` as JSON content, which openapi-typescript
// types as the serialized string; openapi-fetch URL-encodes it.
const me = await client.GET("/trpc/users.byClerkId", {
  params: { query: { input: JSON.stringify({ clerkUserId: "user_frontend" }) } },
});
const email: string | undefined = me.data?.result.data.email;
// @ts-expect-error a wrong output field
void me.data?.result.data.mail;

console.log(JSON.stringify({ restStatus: rest.response.status, rest: rest.data, email }));
