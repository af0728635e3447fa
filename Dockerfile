# offboard: one image for the bot, the reminder workers and Bull Board (docker-compose.yml
# picks the process with `command:`).
#
#   docker build -t offboard .
#   docker run --rm -e REDIS_URL=redis://host:6379 -e SLACK_BOT_TOKEN=… offboard
#
# Two stages: `build` has the dev dependencies (TypeScript, tsx) and compiles to dist/;
# `runtime` has only the production dependencies and the compiled JavaScript: neither the
# compiler nor the sources and tests ship.

# ---- build: install everything, compile -------------------------------------------------
# Debian slim rather than Alpine: msgpackr-extract (BullMQ's fast MessagePack) ships prebuilt
# binaries for glibc on linux x64 and arm64, so nothing is compiled and no build tools are
# needed. Pinned to Node's major version; rebuild to pick up patch releases.
FROM node:20-bookworm-slim AS build
WORKDIR /app

# The lockfile alone decides the dependency layer, so editing code does not reinstall.
# NODE_ENV is deliberately not `production` here: npm would then skip the dev
# dependencies, and TypeScript is one of them.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# .dockerignore keeps node_modules, dist, .env and the tests out of this copy.
COPY . .
RUN npm run build

# ---- runtime: production dependencies and dist/ only -------------------------------------
FROM node:20-bookworm-slim AS runtime
WORKDIR /app

# LOG_FORMAT=json: one JSON object per line on stdout, for `docker compose logs` and log
# shippers. The ports are the processes' defaults, written down so the image documents them.
# npm's update check would reach the registry on every `npm run` and print a notice.
ENV NODE_ENV=production \
    LOG_FORMAT=json \
    PORT=3000 \
    WORKER_PORT=3001 \
    BOARD_PORT=3002 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_FUND=false

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# tsx is a dev dependency and is not in this image: the npm scripts are rewritten to run the
# compiled files, so the commands from the README work unchanged in a container, e.g.
#   docker compose run --rm bot npm start                    (the console)
#   docker compose run --rm bot npm run discord:register
RUN npm pkg set \
      scripts.start="node dist/adapters/main.js" \
      scripts.serve="node dist/adapters/main.js --serve" \
      scripts.worker="node dist/jobs/main.js" \
      scripts.board="node dist/ops/board-main.js" \
      "scripts.discord:register=node dist/adapters/discord/register.js"

# Read from disk at run time: the compiled code, and the fonts of the closeout packet's PDF
# (ops/packet-fonts.ts finds them at /app/assets/fonts). No JSON, YAML or template files are
# loaded; Slack's manifest.yml is only pasted into Slack's site by hand.
COPY --from=build /app/dist ./dist
COPY --from=build /app/assets ./assets

# The files stay owned by root and read-only to the process: it writes nothing under /app
# (state lives in Redis; npm's own logs go to /home/node/.npm). `node` is the unprivileged
# user the official image provides (uid 1000).
USER node

# 3000: the bot (Slack's /slack/events, /healthz, /readyz, /metrics)
# 3001: a reminder worker's /healthz, /readyz, /metrics
# 3002: Bull Board at /admin/queues (basic auth) and its /healthz
EXPOSE 3000 3001 3002

# /healthz says the process answers (not whether Redis does; that is /readyz). One image runs
# the bot (PORT), a worker (WORKER_PORT) or the board (BOARD_PORT); the probe asks all three
# and only this container's process listens, so the same check fits each, with plain
# `docker run` too. Node 20 has fetch built in: no curl in the image.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
  CMD ["node", "dist/ops/healthcheck.js"]

# Node itself, not `npm run serve`: npm runs the script through `sh -c`, and a shell in
# between may not pass SIGTERM on, so `docker stop` would end in a SIGKILL instead of the
# bot's clean shutdown. Node as PID 1 also does not reap zombies: docker-compose.yml sets
# `init: true` (use `docker run --init` by hand).
CMD ["node", "dist/adapters/main.js", "--serve"]
