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
        assertThat(k).containsKeys("Deployment", "Service", "HorizontalPodAutoscaler", "ConfigMap");

        JsonNode pod = k.get("Deployment").at("/spec/template/spec");
        JsonNode container = pod.at("/containers/0");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/readyz");
        assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        List<String> command = new ArrayList<>();
        container.path("command").forEach(c -> command.add(c.asText()));
        assertThat(command).contains("serve", "-Xss8m");
        int drainS = Integer.parseInt(command.get(command.indexOf("--drain-s") + 1));
        int preStopS = Integer.parseInt(container.at("/lifecycle/preStop/exec/command/1").asText());
        assertThat(pod.path("terminationGracePeriodSeconds").asInt()).isGreaterThan(preStopS + drainS);
        assertThat(container.at("/env/0/name").asText()).isEqualTo("PARLEY_HOME");

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
}
