# GenVM for .NET in one container: the `genvm` executable (executor, manager, LLM and web modules), the packed
# Python runners, Chromium and chromedriver, running as a non-root user.
#   docker build -t genvm .
#   docker run --rm -p 3999:3999 genvm                      # the manager (README "Run it in one container")
#   docker run --rm genvm calldata decode 16046172677305066d6574686f641c666f6f
# Every RUN step is a repository script that CI also runs outside Docker (.ci/run: scripts/install-deps,
# scripts/install-runtime-deps, scripts/publish into a temporary prefix, scripts/smoke-test on it), so a broken
# step shows up without Docker.
#
# Base: Debian 12, the system our scripts and the runner build target (Debian package names, trixie sources for
# CPython). .NET 10 ships no Debian images, so the portable .NET SDK and ASP.NET Core runtime are copied from the
# official images (glibc builds; they run on Debian 12).

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS dotnet-sdk
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS dotnet-runtime

# Build stage: the binary and the runners (CPython for wasm32-wasi is compiled from Debian's sources with
# clang-19: several CPU-minutes).
FROM debian:bookworm-slim AS build
COPY --from=dotnet-sdk /usr/share/dotnet /usr/share/dotnet
ENV PATH=/usr/share/dotnet:$PATH DOTNET_ROOT=/usr/share/dotnet DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src
COPY . .
RUN bash scripts/install-runtime-deps && bash scripts/install-deps
RUN GENVM_CACHE_DIR=/tmp/genvm-cache bash scripts/publish /opt/genvm

# Runtime stage: the ASP.NET Core runtime, the published tree, Chromium and chromedriver; a numeric non-root user
# (no account needed: HOME and every writable path are under /opt/genvm/cache, owned by that user).
FROM debian:bookworm-slim AS runtime
COPY --from=dotnet-runtime /usr/share/dotnet /usr/share/dotnet
COPY scripts/install-runtime-deps /opt/genvm/scripts/install-runtime-deps
RUN GENVM_CLEAN_APT_LISTS=1 bash /opt/genvm/scripts/install-runtime-deps
COPY --from=build --chown=10001:10001 /opt/genvm /opt/genvm
COPY scripts/smoke-test /opt/genvm/scripts/smoke-test
COPY examples/counter.py /opt/genvm/examples/counter.py
ENV PATH=/opt/genvm/bin:/usr/share/dotnet:$PATH \
    DOTNET_ROOT=/usr/share/dotnet \
    DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    GENVM_RUNNERS_DIR=/opt/genvm/runners \
    GENVM_CACHE_DIR=/opt/genvm/cache \
    HOME=/opt/genvm/cache
USER 10001:10001
WORKDIR /opt/genvm
# The image checks itself as the user it runs as (the compile cache this fills stays in the image, warm).
RUN GENVM_SMOKE_PORT=3999 bash /opt/genvm/scripts/smoke-test /opt/genvm
EXPOSE 3999
ENTRYPOINT ["genvm"]
# Reached from outside the container, the manager binds every interface here (manager.md §1 assumes loopback).
CMD ["manager", "--host", "0.0.0.0", "--port", "3999"]
