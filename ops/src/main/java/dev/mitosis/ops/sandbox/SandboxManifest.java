package dev.mitosis.ops.sandbox;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * {@code D/sandbox.json}: what a sandbox is made of, in the shape the command contract fixes (schema, config,
 * kafka.bootstrap, pairs with their servers, A first). Written at the start of {@code up} with state
 * {@code starting} and all ports chosen, and again with state {@code up} once everything runs and holds its data.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SandboxManifest(
        String schema,
        String config,
        String state,
        String dir,
        long rows,
        long seed,
        Kafka kafka,
        List<Pair> pairs) {

    public static final String FILE = "sandbox.json";
    public static final String STARTING = "starting";
    public static final String UP = "up";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public record Kafka(String bootstrap, int port, int controllerPort) {
    }

    public record Pair(int pair, List<Server> servers) {
    }

    /** A server; {@code role} is A (keeps residue i after the split) or A0 (keeps i + n). */
    public record Server(String name, String host, int port, String user, String password,
                         int serverId, int gtidDomainId, String role) {
    }

    public SandboxManifest withState(String newState) {
        return new SandboxManifest(schema, config, newState, dir, rows, seed, kafka, pairs);
    }

    public List<Server> servers() {
        return pairs.stream().flatMap(p -> p.servers().stream()).toList();
    }

    public void write(Path sandboxDir) {
        try {
            Path tmp = sandboxDir.resolve(FILE + ".tmp");
            JSON.writeValue(tmp.toFile(), this);
            Files.move(tmp, sandboxDir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + sandboxDir.resolve(FILE), e);
        }
    }

    public static boolean existsIn(Path sandboxDir) {
        return Files.exists(sandboxDir.resolve(FILE));
    }

    public static SandboxManifest read(Path sandboxDir) {
        try {
            return JSON.readValue(sandboxDir.resolve(FILE).toFile(), SandboxManifest.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + sandboxDir.resolve(FILE), e);
        }
    }
}
