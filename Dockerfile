# syntax=docker/dockerfile:1
# The API server image. The build stage compiles the workspace and runs exactly the command the
# deployed-folder test runs (`pnpm deploy --prod --no-optional`); the runtime stage holds only that
# folder: production dependencies, no embedded PostgreSQL, Prisma CLI or TypeScript. Migrations ship
# inside it: `node dist/src/cli/migrate.js deploy` (the compose file's one-shot `migrate` service).
ARG NODE_IMAGE=node:22-bookworm-slim

FROM ${NODE_IMAGE} AS build
ENV CI=true TURBO_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1 CLERK_TELEMETRY_DISABLED=1
RUN npm install --global pnpm@12.4.2 && npm cache clean --force
WORKDIR /repo
# Dependencies first, keyed on the lockfile only, so source changes reuse this layer.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
RUN pnpm install --offline --frozen-lockfile \
  && pnpm exec turbo run build --filter=@viewings/server... --output-logs=errors-only \
  && pnpm --filter @viewings/server deploy --prod --no-optional /out

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production PORT=3000 CLERK_TELEMETRY_DISABLED=1
WORKDIR /app
# Owned by root and read-only to the process: the server writes nothing to its own folder.
COPY --from=build /out ./
USER node
EXPOSE 3000
# Liveness only (the process answers); load balancers should route on GET /readyz instead.
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch(`http://127.0.0.1:${process.env.PORT}/healthz`).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/src/main.js"]
