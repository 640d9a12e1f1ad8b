# planbot container image: a static binary on an empty base, running as a
# non-root user, with the CA bundle it needs to talk TLS to Discord and Telegram.
#
#   docker build -t planbot .
#   docker run --rm -e TELEGRAM_BOT_TOKEN planbot
#
# CI builds this file with buildah and no registry access (.ci/image.sh), so
# the builder's name below is the one it assembles locally: keep them equal.

FROM golang:1.26-bookworm AS build

# GOPROXY and VERSION may be passed with --build-arg; GOPROXY=off builds from a
# module cache mounted at /go/pkg/mod without touching the network.
ARG GOPROXY
ARG VERSION

WORKDIR /src
ENV CGO_ENABLED=0 GOOS=linux GOFLAGS="-trimpath -buildvcs=false"

# Modules first, so a source change does not download them again.
COPY go.mod go.sum ./
RUN go mod download

COPY . .
RUN go build -ldflags="-s -w${VERSION:+ -X main.buildVersion=$VERSION}" -o /out/planbot ./cmd/planbot \
 && mkdir -p /out/etc \
 && echo 'nonroot:x:65532:65532:nonroot:/nonexistent:/sbin/nologin' > /out/etc/passwd \
 && echo 'nonroot:x:65532:' > /out/etc/group

FROM scratch
COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY --from=build /out/etc/passwd /out/etc/group /etc/
COPY --from=build /out/planbot /planbot
# Numeric, so Kubernetes' runAsNonRoot can check it; /etc/passwd names it nonroot.
USER 65532:65532
# 8080: Telegram webhook (telegram.webhook_listen); 9090: admin listener when
# PLANBOT_ADMIN_ADDR=0.0.0.0:9090 (it is off, and loopback-only, by default).
EXPOSE 8080 9090
ENTRYPOINT ["/planbot"]
