# Portcullis: one instance of the GraphQL API and dashboard. See docs/operations.md.
# Pinned base image (Node 20 on Debian bookworm, slim); bump the tag deliberately.

FROM node:20.20.2-bookworm-slim AS build
WORKDIR /app
# Dependencies first, so the layer is reused while only source changes.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The dashboard (dist/web, Vite) and the server (dist/, tsc) are built with the dev dependencies,
# which are then dropped: the image runs compiled JavaScript, no TypeScript loader.
RUN npm run build:web && npm run build:server && npm prune --omit=dev --no-audit --no-fund

FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production \
    PORT=4000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /app /app
# DATA_DIR only matters without DATABASE_URL (embedded PGlite); it must be writable by the app user.
RUN mkdir -p /data && chown node:node /data
# The node image's unprivileged user (uid 1000).
USER node
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# One node process running the compiled server (as `npm start` does after its build), so SIGTERM
# reaches the server and shutdown is graceful.
CMD ["node", "dist/server/main.js"]
