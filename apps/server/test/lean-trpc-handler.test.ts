/**
 * The lean tRPC handler must answer exactly as tRPC's express adapter does. One router is served both
 * ways behind the same JSON parser, and each request below is sent to both: status, content type, Vary
 * and body must be identical, and onError must see the same calls.
 */
import type { AddressInfo } from "node:net";
import { initTRPC, TRPCError } from "@trpc/server";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import express, { type RequestHandler } from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createLeanTrpcHandler } from "../src/http/lean-trpc-handler.js";

// Without stacks: they name the adapter's own frames, the one thing allowed to differ.
const t = initTRPC.context<{ caller: string }>().create({ isDev: false });
const router = t.router({
  greet: t.procedure.input(z.object({ name: z.string().min(1) })).query(({ input, ctx }) => ({
    hello: input.name,
    caller: ctx.caller,
  })),
  nothing: t.procedure.query(() => null),
  rename: t.procedure.input(z.object({ to: z.string() })).mutation(({ input }) => ({ renamed: input.to })),
  denied: t.procedure.query(() => {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "sign in" });
  }),
  broken: t.procedure.query(() => {
    throw new Error("database unreachable");
  }),
});

interface Served {
  url: string;
  errors: string[];
  close(): Promise<void>;
}

async function serve(handler: (onError: (path: string | undefined, code: string) => void) => RequestHandler) {
  const errors: string[] = [];
  const server = express()
    .use(
      "/trpc",
      express.json({ limit: "100kb" }),
      handler((path, code) => errors.push(`${path}:${code}`)),
    )
    .listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/trpc`,
    errors,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  } satisfies Served;
}

const options = (onError: (path: string | undefined, code: string) => void) => ({
  router,
  maxBatchSize: 3,
  createContext: () => ({ caller: "ctx-ok" }),
  onError: ({ path, error }: { path?: string; error: TRPCError }) => onError(path, error.code),
});

let adapter: Served;
let lean: Served;
beforeAll(async () => {
  adapter = await serve((onError) => createExpressMiddleware(options(onError)));
  lean = await serve((onError) => createLeanTrpcHandler(options(onError)));
});
afterAll(() => Promise.all([adapter?.close(), lean?.close()]));

const input = (value: unknown) => `input=${encodeURIComponent(JSON.stringify(value))}`;
const json = { "content-type": "application/json" };

const requests: [string, string, RequestInit?][] = [
  ["a query", `/greet?${input({ name: "ann" })}`],
  ["a query answering null", "/nothing"],
  ["invalid input", `/greet?${input({ name: "" })}`],
  ["input that is not JSON", "/greet?input=%7Bnope"],
  ["a batch", `/greet,nothing?batch=1&${input({ 0: { name: "ann" } })}`],
  ["a batch over maxBatchSize", `/nothing,nothing,nothing,nothing?batch=1&${input({})}`],
  ["a batch with a failing call", `/greet,denied?batch=1&${input({ 0: { name: "bob" } })}`],
  ["an unknown procedure", "/nope"],
  ["a thrown TRPCError", "/denied"],
  ["an unexpected error", "/broken"],
  ["a mutation", "/rename", { method: "POST", headers: json, body: JSON.stringify({ to: "x" }) }],
  ["a mutation by GET", `/rename?${input({ to: "x" })}`],
  ["a query by POST", "/nothing", { method: "POST", headers: json, body: "{}" }],
  ["a batched mutation", "/rename?batch=1", { method: "POST", headers: json, body: '{"0":{"to":"y"}}' }],
  ["a mutation without a body", "/rename", { method: "POST", headers: json }],
  [
    "a mutation as text/plain",
    "/rename",
    { method: "POST", headers: { "content-type": "text/plain" }, body: '{"to":"x"}' },
  ],
  ["a mutation without a content type", "/rename", { method: "POST", body: '{"to":"x"}' }],
  ["HEAD", "/nothing", { method: "HEAD" }],
];

async function answer(base: string, path: string, init?: RequestInit) {
  const response = await fetch(`${base}${path}`, init);
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    vary: response.headers.get("vary"),
    allow: response.headers.get("allow"),
    body: await response.text(),
  };
}

describe("lean tRPC handler vs tRPC's express adapter", () => {
  it.each(requests)("answers %s identically", async (_name, path, init) => {
    const before = [adapter.errors.length, lean.errors.length] as const;
    const [expected, actual] = await Promise.all([
      answer(adapter.url, path, init),
      answer(lean.url, path, init),
    ]);
    expect(actual).toEqual(expected);
    expect(lean.errors.slice(before[1])).toEqual(adapter.errors.slice(before[0]));
  });

  it("answers the query itself (the comparison is not between two failures)", async () => {
    const { status, body } = await answer(lean.url, `/greet?${input({ name: "ann" })}`);
    expect(status).toBe(200);
    expect(JSON.parse(body)).toEqual({ result: { data: { hello: "ann", caller: "ctx-ok" } } });
  });
});
