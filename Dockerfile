# Debian-based on purpose: the Temporal SDK's native module does not support Alpine/musl.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
# The artifact store volume (/data) must be writable by the unprivileged user.
RUN mkdir -p /data && chown node:node /data
USER node
CMD ["npx", "tsx", "src/worker.ts"]
