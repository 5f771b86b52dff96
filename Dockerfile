# OTA Lens's command line in a container, for inventorying packages on a batch engine
# (docs/batch.md: a Kubernetes Indexed Job runs `otalens inventory` once per package).
#
#   docker build -t otalens .
#   docker run --rm -v "$PWD:/work" otalens inventory firmware.zip --json -o firmware.json.gz
#
# Node 20 on Debian bookworm (glibc: the native zstd, lzma and xxhash addons ship prebuilt for it).
# The build stage installs everything (TypeScript, Vite) without Electron's binary, builds, then
# drops the development packages; the image keeps dist/, bin/ and the production node_modules.
# Nothing is downloaded at run time: OTA Lens makes no network requests.

FROM node:20-bookworm-slim AS build
WORKDIR /opt/otalens
ENV ELECTRON_SKIP_BINARY_DOWNLOAD=1 \
    npm_config_audit=false \
    npm_config_fund=false \
    npm_config_update_notifier=false
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build \
 && npm prune --omit=dev \
 && node bin/otalens --version

FROM node:20-bookworm-slim
WORKDIR /opt/otalens
COPY --from=build /opt/otalens/package.json ./package.json
COPY --from=build /opt/otalens/bin ./bin
COPY --from=build /opt/otalens/dist ./dist
COPY --from=build /opt/otalens/node_modules ./node_modules
RUN ln -s /opt/otalens/bin/otalens /usr/local/bin/otalens \
 && otalens --version
USER node
WORKDIR /work
ENTRYPOINT ["otalens"]
CMD ["--help"]
