# One image for both roles of the scaled-out form: `serve --api-only` and `worker`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY . .
RUN npm ci --no-audit --no-fund && npx turbo run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=node:node /app /app
USER node
EXPOSE 8080
ENTRYPOINT ["node", "--min-semi-space-size=16", "services/cli/dist/main.js"]
CMD ["serve", "--api-only"]
