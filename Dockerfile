# syntax=docker/dockerfile:1
# Build: the official Swift image plus the C libraries' headers.
ARG SWIFT_IMAGE=swift:6.3-bookworm
FROM ${SWIFT_IMAGE} AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq-dev libopenblas-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# Resolve dependencies in their own layer, so source edits do not refetch them.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --product ondo --static-swift-stdlib \
    && install -D "$(swift build -c release --show-bin-path)/ondo" /out/ondo

# Run: a slim Debian with the runtime libraries only, as an unprivileged user.
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libopenblas0 libstdc++6 ca-certificates tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/ondo --create-home ondo
COPY --from=build /out/ondo /usr/local/bin/ondo
COPY sql /usr/share/ondo/sql
COPY models /usr/share/ondo/models
COPY config/ondo.json /etc/ondo/ondo.json
# In a container the HTTP endpoint (/healthz, /readyz, /metrics) must listen beyond loopback.
ENV ONDO_CONFIG=/etc/ondo/ondo.json \
    ONDO_SQL_DIR=/usr/share/ondo/sql \
    ONDO_HTTP_HOST=0.0.0.0
EXPOSE 8080
# /healthz answers 200 while `ondo serve` runs. The slim image has no curl: bash's /dev/tcp does the request.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${ONDO_HTTP_PORT:-8080} && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
USER ondo
WORKDIR /var/lib/ondo
ENTRYPOINT ["/usr/local/bin/ondo"]
CMD ["--help"]
