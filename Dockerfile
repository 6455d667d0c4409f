# syntax=docker/dockerfile:1

# ---- build: compile TypeScript and bundle the entry points, then keep only production dependencies ----
FROM node:20-bookworm-slim AS build
# better-sqlite3 compiles its native addon from source during npm ci.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/bundle.js ./scripts/bundle.js
COPY src ./src
RUN npm run build \
 && npm prune --omit=dev

# ---- runtime: compiled app and production node_modules only ----
FROM node:20-bookworm-slim AS runtime
ENV HOST=0.0.0.0 \
    PORT=3080 \
    DATA_DIR=/data \
    NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY web ./web
# DATA_DIR holds the embedded SQLite file (and, outside production, generated dev secrets).
RUN mkdir -p /data && chown node:node /data
VOLUME /data
USER node
EXPOSE 3080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3080) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# Node handles SIGTERM itself: readiness turns 503, requests drain, the store closes.
# The same V8 flags as `npm start` (package.json; docs/benchmarks.md says why).
CMD ["node", "--max-semi-space-size=4", "dist/main.js"]
