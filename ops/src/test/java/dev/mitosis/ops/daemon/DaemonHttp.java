package dev.mitosis.ops.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;

/** One daemon's HTTP endpoints as the tests call them, over real HTTP on 127.0.0.1. */
final class DaemonHttp {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    DaemonHttp(int port) {
        this.port = port;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(40)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code POST /control}, with the bearer token unless it is null. */
    HttpResponse<String> control(String body, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/control"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode status() throws IOException, InterruptedException {
        return JSON.readTree(get("/status").body());
    }

    /** The first worker of {@code /status} of that kind, or an empty object while there is none. */
    JsonNode worker(String kind) throws IOException, InterruptedException {
        return worker(w -> w.path("worker").asText().equals(kind));
    }

    /** The first worker of {@code /status} that {@code which} accepts, or an empty object. */
    JsonNode worker(Predicate<JsonNode> which) throws IOException, InterruptedException {
        for (JsonNode worker : status().path("workers")) {
            if (which.test(worker)) {
                return worker;
            }
        }
        return JSON.createObjectNode();
    }
}
