# bangban-kb — 一网通办帮办知识库服务
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 and hnswlib-node compile when no prebuilt binary matches
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
# onnxruntime-node's install script would fetch CUDA provider binaries from NuGet; the image runs on CPU
ENV ONNXRUNTIME_NODE_INSTALL=skip
RUN npm ci
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=3000 \
    KB_DATA_DIR=/app/kb-data
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# sample documents (an empty knowledge base is filled from them on first start), the editable dictionary,
# synonyms and calendar overrides; generated files are kept out by .dockerignore
COPY --from=build /app/kb-data ./kb-data
RUN chown -R node:node /app/kb-data
USER node
VOLUME ["/app/kb-data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["node", "dist/server/index.js"]
