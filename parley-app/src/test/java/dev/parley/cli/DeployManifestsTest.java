package dev.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.parley.transport.server.ServerMetrics;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/k8s parses, and its parts agree with each other and with the server: the probes hit the endpoints the
 * server has, the grace period outlasts preStop plus the drain, the Service selects the pods, and the HPA scales on
 * a metric the server really exposes under that name.
 */
class DeployManifestsTest {
    private static final Path K8S = Path.of("..", "deploy", "k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static Map<String, JsonNode> byKind() throws IOException {
        Map<String, JsonNode> out = new HashMap<>();
        try (var files = Files.list(K8S)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
                try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile())) {
                    while (docs.hasNext()) {
                        JsonNode doc = docs.next();
                        assertThat(doc.path("apiVersion").asText()).as(f.toString()).isNotEmpty();
                        out.put(doc.path("kind").asText(), doc);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void theManifestsParseAndAgreeWithTheServer() throws IOException {
        Map<String, JsonNode> k = byKind();
        assertThat(k).containsKeys("Deployment", "Service", "HorizontalPodAutoscaler", "ConfigMap", "PersistentVolumeClaim");

        JsonNode pod = k.get("Deployment").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        List<String> command = new ArrayList<>();
        container.path("args").forEach(c -> command.add(c.asText()));
        assertThat(command).contains("serve");
        int drainS = Integer.parseInt(command.get(command.indexOf("--drain-s") + 1));
        int preStopS = Integer.parseInt(container.at("/lifecycle/preStop/exec/command/1").asText());
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(preStopS + drainS);
        assertThat(container.at("/env/0/name").asText()).isEqualTo("PARLEY_HOME");
        String home = container.at("/env/0/value").asText();

        // the image the Dockerfile builds, its port, its model cache on the shared claim
        assertThat(container.path("image").asText()).startsWith("parley:").isNotEqualTo("parley:latest");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        List<String> mounts = new ArrayList<>();
        container.path("volumeMounts").forEach(m -> mounts.add(m.path("name").asText() + " " + m.path("mountPath").asText()));
        assertThat(mounts).contains("parley-home " + home, "parley-models " + home + "/models");
        List<String> claims = new ArrayList<>();
        pod.path("volumes").forEach(v -> claims.add(v.at("/persistentVolumeClaim/claimName").asText()));
        assertThat(claims).contains(k.get("PersistentVolumeClaim").at("/metadata/name").asText());

        JsonNode podLabels = k.get("Deployment").at("/spec/template/metadata/labels");
        k.get("Service").at("/spec/selector").fields().forEachRemaining(e ->
                assertThat(podLabels.path(e.getKey()).asText()).isEqualTo(e.getValue().asText()));
        assertThat(k.get("Service").at("/spec/sessionAffinity").asText()).isEqualTo("None");

        JsonNode hpa = k.get("HorizontalPodAutoscaler");
        assertThat(hpa.path("apiVersion").asText()).isEqualTo("autoscaling/v2");
        assertThat(hpa.at("/spec/scaleTargetRef/name").asText()).isEqualTo(k.get("Deployment").at("/metadata/name").asText());
        String metric = hpa.at("/spec/metrics/0/pods/metric/name").asText();
        assertThat(new ServerMetrics().scrape().lines()).as("the server exposes " + metric).anyMatch(l -> l.startsWith(metric + " "));

        JsonNode rules = YAML.readTree(k.get("ConfigMap").at("/data/config.yaml").asText()).path("rules");
        assertThat(rules.at("/0/seriesQuery").asText()).startsWith(metric + "{");
        assertThat(rules.at("/0/name/as").asText()).isEqualTo(metric);
    }

    /**
     * The Dockerfile runs java with the launcher's flags, as a non-root user, the model cache on a volume at the
     * PARLEY_HOME the Deployment sets, a health check on /healthz and the port the Deployment names.
     */
    @Test
    void theImageRunsLikeTheLauncher() throws IOException {
        String dockerfile = Files.readString(Path.of("..", "Dockerfile"));
        String launcher = Files.readString(Path.of("..", "parley"));
        String exec = launcher.substring(launcher.indexOf("exec \"$JAVA_HOME/bin/java\""));
        exec = exec.substring(0, exec.indexOf("-jar"));
        String cds = launcher.lines().filter(l -> l.trim().startsWith("cds=(-")).findFirst().orElseThrow();
        List<String> flags = java.util.regex.Pattern.compile("(?<=[\\s(\"])(--|-X|-D)[\\w.:+=-]+").matcher(cds + " " + exec)
                .results().map(java.util.regex.MatchResult::group).toList();
        assertThat(flags).contains("-Xss8m", "-XX:+UseSerialGC", "-Xmx512m", "-XX:+AutoCreateSharedArchive");
        String entrypoint = dockerfile.lines().dropWhile(l -> !l.startsWith("ENTRYPOINT")).takeWhile(l -> !l.startsWith("CMD"))
                .collect(java.util.stream.Collectors.joining(" "));
        for (String flag : flags) {
            if (flag.startsWith("-XX:SharedArchiveFile=")) continue; // the launcher's path is $PARLEY_HOME's
            assertThat(entrypoint).as("the image's java has the launcher's " + flag).contains("\"" + flag + "\"");
        }
        String home = byKind().get("Deployment").at("/spec/template/spec/containers/0/env/0/value").asText();
        assertThat(entrypoint).contains("\"-XX:SharedArchiveFile=" + home + "/");
        assertThat(dockerfile).contains("ENV PARLEY_HOME=" + home, "VOLUME [\"" + home + "\"]", "EXPOSE 8080", "USER 10001")
                .containsPattern("(?m)^HEALTHCHECK .*\\n.*/healthz")
                .containsPattern("(?m)^FROM \\$\\{MAVEN_IMAGE} AS build$")
                .contains("-Dmaven.test.skip=true -pl parley-app -am package");
        assertThat(Files.readString(Path.of("..", ".dockerignore")).lines()).contains("**/target", ".git", "**/node_modules");
    }
}
