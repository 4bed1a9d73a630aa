# syntax=docker/dockerfile:1.7
#
# One builder stage, five images: `docker build --build-arg SERVICE=<name> -t aftersales/<name> .` for each of
# reception, workshop, parts, escalation and supplier. Why this shape: the workspace compiles once (the builder stage
# is the same for every SERVICE, so the build cache serves all five), while each image carries only its own binary —
# a service's image changes only when something it is built from changes, and a pod pulls nothing it does not run.
#
# The runtime base is distroless (glibc, CA certificates, no shell, no package manager, no build tools) and runs as
# its non-root user. Kubernetes probes the services with native gRPC health checks (k8s/), which is why there is no
# Docker HEALTHCHECK (a shell-less image could not run one, and Kubernetes ignores it).

# Pinned tags (the toolchain is the workspace's rust-version); bump them deliberately.
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# The protos compile with protox (pure Rust): no protoc, no system packages.
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked \
        -p aftersales-reception -p aftersales-workshop -p aftersales-parts \
        -p aftersales-escalation -p aftersales-supplier \
    && mkdir -p /out \
    && cp target/release/reception target/release/workshop target/release/parts \
          target/release/escalation target/release/supplier /out/

FROM gcr.io/distroless/cc-debian12:nonroot
ARG SERVICE
LABEL org.opencontainers.image.title="aftersales-${SERVICE}" \
      org.opencontainers.image.source="https://github.com/aftersales/aftersales" \
      org.opencontainers.image.licenses="Apache-2.0"
COPY --from=build /out/${SERVICE} /usr/local/bin/service
# Listen on every interface inside the pod; the data directory (dev keys, SQLite files, address files) is a mounted
# volume, so the root filesystem can stay read-only. Everything else comes from the ConfigMap and Secrets.
ENV AFTERSALES_ENV=prod \
    AFTERSALES__SERVER__HOST=0.0.0.0 \
    AFTERSALES__DATA_DIR=/var/lib/aftersales \
    AFTERSALES__TELEMETRY__FORMAT=json
USER 65532:65532
EXPOSE 50051 50052 50053 50054 50055
ENTRYPOINT ["/usr/local/bin/service"]
