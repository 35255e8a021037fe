package dev.mitosis.ops.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mitosis.capture.CaptureSettings;
import dev.mitosis.capture.SnapshotMode;
import dev.mitosis.ops.capture.CaptureSourceOptions;
import dev.mitosis.connectors.topology.MitosisConfig;
import dev.mitosis.connectors.topology.MitosisConfigLoader;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.OperatorException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code mitosis connect-config}: Kafka Connect connector configs with the Debezium settings capture uses. */
@Command(name = "connect-config",
        mixinStandardHelpOptions = true,
        description = {
            "Generate one Kafka Connect (distributed mode) connector config per server of the fleet, with the same"
                + " Debezium MariaDB settings as `mitosis capture`, so a large fleet captures on a Connect cluster"
                + " into the same topics <kafka.topic.prefix>.cdc.<server>.<schema>.<table>.",
            "Passwords are never written: each config refers to ${file:<secrets file>:<server name>}; the workers"
                + " need config.providers=file and"
                + " config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider.",
            "Without --out, prints {\"connectors\": [{\"name\", \"config\"}, ...]}; with --out, writes"
                + " <name>.json per connector (the body of POST /connectors) and prints a summary.",
        },
        footer = {"", "Connect keeps its own offsets: a server moved from `mitosis capture` to Connect starts at its"
                + " current GTID (snapshot none); re-verify its pair afterwards.", "",
            "Example:", "  mitosis connect-config --config mitosis.yaml --out connect/ --secrets-file"
                + " /etc/kafka/mitosis-secrets.properties",
            "  for f in connect/*.json; do curl -sf -X POST -H 'Content-Type: application/json' --data @$f"
                + " http://connect:8083/connectors; done"})
public final class ConnectConfigCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "C", description = "mitosis.yaml")
    Path config;

    @Option(names = "--out", paramLabel = "DIR", description = "write <connector name>.json files here")
    Path out;

    @Option(names = "--secrets-file", defaultValue = "/etc/kafka/mitosis-secrets.properties", paramLabel = "F",
            description = "the properties file on every Connect worker holding <server name>=<password>"
                    + " (default: ${DEFAULT-VALUE})")
    Path secretsFile;

    @CommandLine.Mixin
    CaptureSourceOptions source = new CaptureSourceOptions();

    @Override
    public Integer call() {
        SnapshotMode mode = source.snapshotMode();
        int replicaServerIdBase = source.replicaServerIdBase();
        if (!secretsFile.isAbsolute()) {
            throw OperatorException.usage("--secrets-file " + secretsFile + ": expected an absolute path (it is read"
                    + " on the Connect workers, not here)");
        }
        MitosisConfig fleet = MitosisConfigLoader.withSystemEnvironment().load(config);
        List<ConnectorConfigs.Connector> connectors = ConnectorConfigs.of(fleet, secretsFile, mode, replicaServerIdBase);
        Map<String, Object> summary = new LinkedHashMap<>();
        if (out == null) {
            summary.put("connectors", connectors);
        } else {
            summary.put("command", "connect-config");
            summary.put("files", write(connectors));
            summary.put("secretsFile", secretsFile.toString());
            summary.put("secretsKeys", connectors.stream().map(c -> c.name().replaceFirst("^mitosis-capture-", ""))
                    .toList());
        }
        JsonOut.print(spec.commandLine().getOut(), summary);
        return ExitCodes.OK;
    }

    private List<String> write(List<ConnectorConfigs.Connector> connectors) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        List<String> files = new ArrayList<>();
        try {
            Files.createDirectories(out);
            for (ConnectorConfigs.Connector connector : connectors) {
                Path file = out.resolve(connector.name() + ".json");
                json.writeValue(file.toFile(), connector);
                files.add(file.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write connector configs to " + out, e);
        }
        return files;
    }
}
