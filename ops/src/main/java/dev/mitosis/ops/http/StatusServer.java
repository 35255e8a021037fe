package dev.mitosis.ops.http;

import com.codahale.metrics.MetricRegistry;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.dropwizard.DropwizardExports;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of a mitosis process: {@code /health}, {@code /ready}, {@code /status}, {@code /gate?pair=P},
 * {@code /metrics} (Prometheus text from the Dropwizard registry) and {@code POST /control}, which alone changes
 * state and so alone needs the bearer token.
 */
public final class StatusServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StatusServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final StatusEndpoints endpoints;
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final Optional<byte[]> token;

    private StatusServer(HttpServer server, ExecutorService executor, StatusEndpoints endpoints,
                         MetricRegistry metrics, Optional<byte[]> token) {
        this.server = server;
        this.executor = executor;
        this.endpoints = endpoints;
        this.token = token;
        prometheus.register(new DropwizardExports(metrics));
    }

    /** Binds and starts serving; the caller closes it. */
    public static StatusServer start(HttpSettings settings, MetricRegistry metrics, StatusEndpoints endpoints) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 16);
            ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
                Thread t = new Thread(r, "mitosis-http");
                t.setDaemon(true);
                return t;
            });
            StatusServer status = new StatusServer(http, executor, endpoints, metrics, readToken(settings.tokenFile()));
            http.setExecutor(executor);
            http.createContext("/", status::handle);
            http.start();
            LOG.info("event=http_started address={}:{}", settings.bindAddress(), http.getAddress().getPort());
            return status;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + settings.bindAddress() + ":" + settings.port(), e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (path.equals("/control")) {
                if (!method.equals("POST")) {
                    reply(exchange, new StatusEndpoints.Answer(405, Map.of("error", "use POST for /control")));
                } else {
                    reply(exchange, control(exchange));
                }
                return;
            }
            if (!method.equals("GET")) {
                reply(exchange, new StatusEndpoints.Answer(405, Map.of("error", "use GET for " + path)));
                return;
            }
            switch (path) {
                case "/health" -> reply(exchange, new StatusEndpoints.Answer(200, Map.of("status", "UP")));
                case "/ready" -> reply(exchange, endpoints.ready()
                        ? new StatusEndpoints.Answer(200, Map.of("ready", true))
                        : new StatusEndpoints.Answer(503, Map.of("ready", false)));
                case "/status" -> reply(exchange, new StatusEndpoints.Answer(200, endpoints.status()));
                case "/gate" -> reply(exchange, gate(query(exchange)));
                case "/metrics" -> metrics(exchange);
                default -> reply(exchange, new StatusEndpoints.Answer(404, Map.of("error", "no endpoint " + path,
                        "endpoints", "/health /ready /status /gate?pair=P /metrics POST /control")));
            }
        } catch (RuntimeException e) {
            LOG.warn("event=http_error path={} error=\"{}\"", exchange.getRequestURI().getPath(), e.getMessage());
        }
    }

    private StatusEndpoints.Answer gate(Map<String, String> query) {
        String pair = query.get("pair");
        if (pair == null || !pair.matches("\\d{1,9}")) {
            return new StatusEndpoints.Answer(400, Map.of("error", "pair=" + pair + " is not a pair number; use /gate?pair=P"));
        }
        return endpoints.gate(Integer.parseInt(pair));
    }

    private StatusEndpoints.Answer control(HttpExchange exchange) throws IOException {
        if (token.isEmpty()) {
            return new StatusEndpoints.Answer(403, Map.of("error", "control is disabled: no http token file is configured"));
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] presented = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(presented, token.get())) {
            LOG.warn("event=http_control_refused remote={}", exchange.getRemoteAddress());
            return new StatusEndpoints.Answer(401, Map.of("error", "a valid 'Authorization: Bearer <token>' is required"));
        }
        Map<String, String> parameters = new LinkedHashMap<>(query(exchange));
        parameters.putAll(parse(new String(exchange.getRequestBody().readNBytes(8192), StandardCharsets.UTF_8)));
        return endpoints.control(parameters);
    }

    private void metrics(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        writer.write(body, prometheus.scrape());
        exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
        send(exchange, 200, body.toByteArray());
    }

    private static void reply(HttpExchange exchange, StatusEndpoints.Answer answer) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        send(exchange, answer.httpStatus(), JSON.writeValueAsBytes(answer.body()));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static Map<String, String> query(HttpExchange exchange) {
        String raw = exchange.getRequestURI().getRawQuery();
        return raw == null ? Map.of() : parse(raw);
    }

    /** {@code a=1&b=2}, URL-decoded; the body of {@code /control} uses the same form. */
    private static Map<String, String> parse(String form) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : form.trim().split("&")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            values.put(key, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }

    private static Optional<byte[]> readToken(Optional<Path> file) {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            String token = Files.readString(file.get(), StandardCharsets.UTF_8).trim();
            if (token.length() < 16) {
                throw new IllegalArgumentException("http token file " + file.get() + " holds fewer than 16 characters;"
                        + " use a long random token");
            }
            return Optional.of(token.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the http token file " + file.get(), e);
        }
    }
}
