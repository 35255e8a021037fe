package dev.mitosis.ops.http;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the status server listens and what guards its state-changing endpoints.
 *
 * @param bindAddress 127.0.0.1 unless an operator opens it up on purpose
 * @param port        0 picks a free port
 * @param tokenFile   a file holding the bearer token for {@code /control}; without one, {@code /control} is refused
 */
public record HttpSettings(String bindAddress, int port, Optional<Path> tokenFile) {

    public static HttpSettings loopback(int port) {
        return new HttpSettings("127.0.0.1", port, Optional.empty());
    }
}
