package dev.mitosis.ops.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status server over real HTTP on 127.0.0.1. */
class StatusServerTest {

    private static final String TOKEN = "0123456789abcdef-token";

    private final List<Map<String, String>> controls = new ArrayList<>();
    private final MetricRegistry metrics = new MetricRegistry();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private volatile boolean ready;
    private StatusServer server;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws IOException {
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        metrics.counter("capture.events").inc(42);
        server = StatusServer.start(new HttpSettings("127.0.0.1", 0, Optional.of(tokenFile)), metrics, new StatusEndpoints() {
            @Override
            public boolean ready() {
                return ready;
            }

            @Override
            public Object status() {
                return Map.of("workers", List.of(Map.of("name", "capture-p0-a", "state", "RUNNING")));
            }

            @Override
            public Answer gate(int pair) {
                return switch (pair) {
                    case 0 -> new Answer(200, Map.of("verdict", "PASS"));
                    case 1 -> new Answer(409, Map.of("verdict", "FAIL"));
                    default -> new Answer(503, Map.of("verdict", "UNKNOWN"));
                };
            }

            @Override
            public Answer control(Map<String, String> parameters) {
                controls.add(parameters);
                return new Answer(200, Map.of("applied", parameters));
            }
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthAndReadinessFollowTheWorkers() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        assertThat(get("/ready").statusCode()).isEqualTo(503);
        ready = true;
        assertThat(get("/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void statusIsJson() throws Exception {
        HttpResponse<String> r = get("/status");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(r.body()).contains("\"state\":\"RUNNING\"");
    }

    @Test
    void gateMapsVerdictsToStatusCodes() throws Exception {
        assertThat(get("/gate?pair=0").statusCode()).isEqualTo(200);
        assertThat(get("/gate?pair=1").statusCode()).isEqualTo(409);
        assertThat(get("/gate?pair=7").statusCode()).isEqualTo(503);
        assertThat(get("/gate?pair=x").statusCode()).isEqualTo(400);
        assertThat(get("/gate").statusCode()).isEqualTo(400);
    }

    @Test
    void metricsArePrometheusTextFromTheDropwizardRegistry() throws Exception {
        HttpResponse<String> r = get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(r.body()).contains("capture_events").contains("42");
    }

    @Test
    void controlNeedsTheBearerTokenAndPost() throws Exception {
        assertThat(post("/control", "action=pause", null).statusCode()).isEqualTo(401);
        assertThat(post("/control", "action=pause", "wrong-token-wrong-token").statusCode()).isEqualTo(401);
        assertThat(controls).isEmpty();
        assertThat(get("/control").statusCode()).isEqualTo(405);

        HttpResponse<String> ok = post("/control", "action=rate&rows.per.second=500", TOKEN);

        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(controls).containsExactly(Map.of("action", "rate", "rows.per.second", "500"));
    }

    @Test
    void unknownPathsAndMethodsAreRefused() throws Exception {
        assertThat(get("/nope").statusCode()).isEqualTo(404);
        assertThat(post("/status", "", TOKEN).statusCode()).isEqualTo(405);
    }

    @Test
    void withoutATokenFileControlIsDisabled() throws Exception {
        try (StatusServer open = StatusServer.start(HttpSettings.loopback(0), metrics, new StatusEndpointsStub())) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + open.port() + "/control"))
                    .POST(HttpRequest.BodyPublishers.ofString("action=pause")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(r.body()).contains("disabled");
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(5))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    /** Endpoints that must never be reached in the test that uses them. */
    private static final class StatusEndpointsStub implements StatusEndpoints {
        @Override
        public boolean ready() {
            return false;
        }

        @Override
        public Object status() {
            return Map.of();
        }

        @Override
        public Answer gate(int pair) {
            return new Answer(503, Map.of());
        }

        @Override
        public Answer control(Map<String, String> parameters) {
            throw new AssertionError("control must not be reached without a token");
        }
    }
}
