# One image for both roles of the scaled-out form: `serve --api-only` and `worker`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# The manifests alone first: the `npm ci` layer is reused until a dependency changes,
# instead of being redone for every source edit.
COPY package.json package-lock.json ./
COPY shared/core/package.json shared/core/
COPY shared/contract/package.json shared/contract/
COPY shared/policy/package.json shared/policy/
COPY shared/dossier/package.json shared/dossier/
COPY shared/db/package.json shared/db/
COPY shared/queue/package.json shared/queue/
COPY shared/github/package.json shared/github/
COPY shared/services/package.json shared/services/
COPY workers/package.json workers/
COPY services/web/package.json services/web/
COPY services/api/package.json services/api/
COPY services/cli/package.json services/cli/
COPY test/package.json test/
COPY bench/package.json bench/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npx turbo run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
# The data folder (audit signing key, checkpoint files): docker-compose.yml mounts a named
# volume here, so recreating the container keeps the key the dossiers are pinned to.
ENV CLEARANCE_DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8080
ENTRYPOINT ["node", "--min-semi-space-size=16", "services/cli/dist/main.js"]
CMD ["serve", "--api-only"]
