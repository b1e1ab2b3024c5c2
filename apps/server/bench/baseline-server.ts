/**
 * The baseline the benchmark divides by: bare Express 5 and a plain pg pool doing the same indexed
 * lookup users.me does, with no auth, tRPC or ORM. Run as its own process: `node baseline-server.js`.
 */
import express from "express";
import pg from "pg";

const pool = new pg.Pool({ connectionString: process.argv[2], max: 10 });
const app = express();
app.get("/baseline/user/:clerkUserId", async (req, res) => {
  const { rows } = await pool.query("SELECT * FROM users WHERE clerk_user_id = $1", [req.params.clerkUserId]);
  res.json(rows[0] ?? null);
});
app.get("/baseline/empty", (_req, res) => {
  res.status(200).end();
});
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  process.send?.({ port: typeof address === "object" && address ? address.port : 0 });
});
