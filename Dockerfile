# syntax=docker/dockerfile:1
# Debian-based on purpose: the Temporal SDK's native module does not support Alpine/musl.
# Node.js 24 is the current LTS line (Node 20 reached end of life in April 2026).

# 1. Build: compile TypeScript to dist/ and bundle the workflows ahead of time.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs ./scripts/build.mjs
COPY src ./src
RUN node scripts/build.mjs

# 2. The simulators (Compose's `sandbox` profile, demos and tests only): dev/ compiled beside the product in an
# image of their own (`--target simulators`). The product image below never holds them.
FROM build AS simulators
COPY tsconfig.simulators.json ./
COPY dev ./dev
RUN node node_modules/typescript/bin/tsc -p tsconfig.simulators.json
USER node
CMD ["node", "dist-simulators/dev/start-sandbox.js"]

# 3. Run: production dependencies only, plain `node` (no tsx), an init process, an unprivileged user.
FROM node:24-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
ENV NODE_ENV=production
# V8's young generation, fixed at start (WORKER_NODE_OPTIONS in src/runtime/worker-heap-policy.ts):
# Node 24 would grow it to 128 MB, a quarter of a worker's memory at 100,000 employees.
ENV NODE_OPTIONS=--max-semi-space-size=8
# The release's build id (image tag or commit, `docker build --build-arg BUILD_ID=...`): turns on Worker
# Deployment Versioning; empty, the worker is unversioned (README, "Changing a workflow safely").
ARG BUILD_ID=
ENV LUCCA_CONNECTORS_BUILD_ID=$BUILD_ID
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# No config/ in the image (sandbox payload key, tenants' secrets): the deployment mounts its config
# read-only at /app/config (or anywhere) and names it in LUCCA_CONNECTORS_CONFIG; without it every
# process stops at start-up. .dockerignore keeps it out of the build context too.
# The artifact store's versioned SQL migrations, applied by `lucca-connectors setup`.
COPY migrations ./migrations
# The filesystem store (single-machine only) would live in /data; production uses the PostgreSQL store.
RUN mkdir -p /data && chown node:node /data
USER node
# tini forwards SIGTERM to node (graceful worker shutdown) and reaps zombies.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "dist/worker.js"]
