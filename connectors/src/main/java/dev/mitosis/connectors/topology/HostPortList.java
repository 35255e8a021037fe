package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.config.ConfigValueText;
import dev.mitosis.connectors.config.Validator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A STRING of comma-separated {@code host:port} addresses, as Kafka's {@code bootstrap.servers}. */
final class HostPortList implements Validator {

    /** The addresses in {@code text}, in order. */
    static List<HostPort> parse(String text) {
        List<HostPort> addresses = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            addresses.add(HostPort.parse(part.trim()));
        }
        return List.copyOf(addresses);
    }

    @Override
    public Optional<String> check(Object value) {
        for (String part : ((String) value).split(",", -1)) {
            try {
                HostPort.parse(part.trim());
            } catch (IllegalArgumentException bad) {
                return Optional.of("has " + ConfigValueText.render(part.trim()) + ", which " + bad.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public String describe() {
        return "a comma-separated list of host:port, e.g. 127.0.0.1:9092,broker2:9092";
    }
}
