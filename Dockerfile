# One image for every tracewatch service; docker-compose.yml picks the service by command
# (node services/<name>/dist/main.js). Also runs infra/local/create-topics.mjs (kafkajs).

# ---- build: install everything, compile the TypeScript project references, drop dev deps
FROM node:20-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund \
 && npx tsc -b \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: compiled output, production node_modules, SQL migrations
FROM node:20-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/packages ./packages
COPY --from=build --chown=node:node /app/services ./services
COPY --from=build --chown=node:node /app/infra/local/create-topics.mjs ./infra/local/create-topics.mjs
USER node
# Services listen on 0.0.0.0 inside the container (their default is loopback).
ENV HTTP_HOST=0.0.0.0
CMD ["node", "services/ingest/dist/main.js"]
