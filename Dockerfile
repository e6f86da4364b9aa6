# vpce-doctor: the Slack bot (`npm start` = node dist/main.js), in two stages:
#   build   - all dependencies (TypeScript and friends) from the lockfile, `npm run build` -> dist/
#   runtime - production dependencies only, dist/ from the build stage, non-root, health-checked.
#
# Base image: node:26-slim, the current Node LTS ("Lithium") on Debian trixie. Pinned by tag only: a
# digest cannot be looked up offline where this file was written. For reproducible builds, pin it, e.g.
#   FROM node:26-slim@sha256:<digest from `docker buildx imagetools inspect node:26-slim`>
# in both stages. node:26 images ship neither yarn nor corepack (Node 25 stopped bundling corepack and
# the image maintainers dropped yarn v1 from Node 26 on), so there is nothing of theirs to delete.
#
# Size: `npm run bench:image` estimates the runtime image. The node:26-slim base alone is an estimated
# 250 MB unpacked (150 MB of it the node binary), so the image is over a 250 MB unpacked budget whatever
# is added; compressed (what a registry stores and a pull downloads) it is about 90 MB.
# This file keeps its own layers small: production dependencies without type declarations or source
# maps, no npm cache, no sources or tests.

FROM node:26-slim AS build
WORKDIR /app
# The lockfile decides every version (package.json's `overrides` included). --ignore-scripts: the
# tree's only install script is esbuild's (a dev dependency of tsx and vitest, which tsc does not use).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:26-slim AS runtime
LABEL org.opencontainers.image.title="vpce-doctor" \
      org.opencontainers.image.description="Slack bot that diagnoses broken AWS VPC endpoints (PrivateLink)" \
      org.opencontainers.image.licenses="MIT" \
      org.opencontainers.image.base.name="docker.io/library/node:26-slim"

# The bot runs as `node dist/main.js` itself (CMD below), not under npm: the base image's entrypoint execs
# it, so docker stop's SIGTERM reaches node directly, with no npm or shell in between to lose it.
# No update check from production (npm would query the registry), no fund/audit notes.
ENV NODE_ENV=production \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false \
    NPM_CONFIG_AUDIT=false

WORKDIR /app
COPY package.json package-lock.json ./
# Production dependencies only. No install scripts: no production dependency has one (the lockfile's
# only `hasInstallScript` is esbuild, a dev dependency). Type declarations and source maps are never
# loaded by node; they are deleted in the same layer, so they never weigh on the image. So is npm's
# cache.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \) -delete \
 && npm cache clean --force \
 && rm -rf /root/.npm /tmp/*
# dist/ comes built: `prestart` (test -f dist/main.js || npm run build) then never builds at start,
# which it could not anyway without the dev dependencies.
COPY --from=build /app/dist ./dist

# The image's own unprivileged user (uid 1000). The app's files stay root-owned: read-only to the bot.
USER node

# PORT (default 3000, src/slack/settings.ts) serves Slack's requests, GET /healthz, GET /metrics and
# POST /alarms/sns; in Socket Mode Slack's requests come over the socket and PORT serves the other three.
# No curl in slim images: node itself makes the request.
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Shutdown: SIGTERM reaches node (it is PID 1's exec'd command); the bot then takes no new work,
# finishes what is under way within SHUTDOWN_TIMEOUT_SECONDS (default 20 s) and exits 0. Docker's
# default stop timeout is 10 s, then SIGKILL: give it the bot's timeout plus 5 s, e.g.
# `docker run --stop-timeout 25`, compose `stop_grace_period: 25s`, ECS `stopTimeout: 25`, Kubernetes
# `terminationGracePeriodSeconds: 25`.
# The base image's ENTRYPOINT (docker-entrypoint.sh) execs a command it is given, so node is PID 1.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
