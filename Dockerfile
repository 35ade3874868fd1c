# GenVM for .NET: one image holding the `genvm` executable (executor, manager, modules).
# Build:  docker build -t genvm .
# Run:    docker run --rm genvm calldata decode 16046172677305066d6574686f641c666f6f
# The manager, module and runner wiring of the container is issue 8's work; this image builds and runs the CLI.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish GenVm.Host/GenVm.Host.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
# Caches (compiled modules, runner builds) live outside the image's app folder.
ENV GENVM_CACHE_DIR=/var/cache/genvm
RUN mkdir -p /var/cache/genvm
ENTRYPOINT ["dotnet", "/app/genvm.dll"]
