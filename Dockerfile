# Patchcast service image: built and run on Debian 12, with Debian's packages only.
#
#   docker build -t patchcast .
#   docker run --rm patchcast keys new --scope admin --name ops      # make a key
#   docker run -d -p 127.0.0.1:8080:8080 -v patchcast-data:/var/lib/patchcast \
#     -v "$PWD/patchcast-keys:/run/secrets/patchcast-keys:ro" patchcast
#
# deploy/README.md has the full deployment (nginx in front, keys as a Docker secret).

# ---- build: compilers and -dev packages, thrown away afterwards.
FROM debian:bookworm-slim AS build
ARG DEBIAN_FRONTEND=noninteractive
# The same package list as developer machines and CI (comments and blank lines allowed).
COPY scripts/packages-build.txt /tmp/packages-build.txt
RUN apt-get update \
 && sed -e 's/#.*//' /tmp/packages-build.txt | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
# Warnings are CI's job (-Werror there, at -O2). Release is -O3, where g++ 12 can report false
# positives inside the standard library that -O2 does not; an image build must not fail on those.
RUN cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DPATCHCAST_BUILD_TESTS=OFF \
          -DPATCHCAST_BUILD_BENCH=OFF -DPATCHCAST_WERROR=OFF \
 && cmake --build build -j"$(nproc)" --target patchcast \
 && strip build/patchcast \
 && build/patchcast version

# ---- runtime: the binary and the shared libraries it links, nothing else.
FROM debian:bookworm-slim
ARG DEBIAN_FRONTEND=noninteractive
# What `ldd patchcast` needs, by owning package (dpkg -S): libcpp-httplib0.11 (which brings
# libssl3, zlib1g and libbrotli1), libsqlite3-0 and libssl3 (libcrypto, linked directly);
# libstdc++6, libgcc-s1 and libc6 are in the base image already. libdate-tz3 and tzdata: time
# zones (calendars/zone.cpp; date's tz reads /usr/share/zoneinfo at run time). The linker leaves
# libdate-tz out until the server calls into that code, then needs it: installed ahead (100 KB).
# libjs-chart.js: the Chart.js file the dashboard (GET /) draws with, read at start-up (--chartjs).
# libpqxx-6.4 and libpq5: the PostgreSQL client, for --db postgresql://... (several replicas).
# No curl or ca-certificates: the service makes no outgoing connections and the health check
# below uses bash.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libcpp-httplib0.11 libdate-tz3 libsqlite3-0 libssl3 tzdata libjs-chart.js \
      libpqxx-6.4 libpq5 \
 && rm -rf /var/lib/apt/lists/*

# A fixed uid/gid, so a bind-mounted keys file or data directory can be given to it on the host
# (chgrp 10001). The data directory exists before VOLUME, so a new named volume starts owned by it.
RUN groupadd --gid 10001 patchcast \
 && useradd --uid 10001 --gid patchcast --home-dir /var/lib/patchcast --no-create-home \
      --shell /usr/sbin/nologin patchcast \
 && install -d -o patchcast -g patchcast -m 0750 /var/lib/patchcast

COPY --from=build /src/build/patchcast /usr/local/bin/patchcast
# Fail the image build, not the container start, if a shared library is missing above.
RUN ! ldd /usr/local/bin/patchcast | grep 'not found' \
 && patchcast version

USER patchcast:patchcast
WORKDIR /var/lib/patchcast
VOLUME /var/lib/patchcast
EXPOSE 8080

# The image has no curl; bash (always in Debian) opens the TCP connection itself through
# /dev/tcp and checks the status line. It probes port 8080 of the CMD below: if you change
# --listen, override the check too (docker run --health-cmd ...).
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /healthz HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r -t 4 status <&3 && [[ $status == 'HTTP/1.1 200 '* ]]"]

# The service stops gracefully on SIGTERM, bounded by --shutdown-timeout (10 s): give
# `docker stop` more than that (docker stop -t 20, compose stop_grace_period: 20s).
STOPSIGNAL SIGTERM
ENTRYPOINT ["patchcast"]
CMD ["serve", "--listen", "0.0.0.0:8080", "--db", "/var/lib/patchcast/patchcast.db", "--api-keys", "/run/secrets/patchcast-keys"]
