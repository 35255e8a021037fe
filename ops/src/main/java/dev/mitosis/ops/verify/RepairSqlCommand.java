package dev.mitosis.ops.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mitosis.ops.cli.ExitCodes;
import dev.mitosis.ops.cli.JsonOut;
import dev.mitosis.ops.cli.OperatorException;
import dev.mitosis.verifier.RowDifference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code mitosis verify repair-sql}: turns a --diff-file into the statements that make one side like the other,
 * for an operator to review and run. Nothing is executed here.
 */
@Command(name = "repair-sql",
        mixinStandardHelpOptions = true,
        description = "Write the repair statements of a --diff-file, to run on the chosen server after review. "
                + "--source A makes A0 like A (the statements run on A0); --source A0 makes A like A0 (they run on A). "
                + "The file starts with the session settings they need: time_zone UTC, a strict sql_mode that takes "
                + "invalid and zero dates as they are, sql_log_bin=0.",
        footer = {"", "Example:", "  mitosis verify repair-sql --from diffs.jsonl --source A --out repair-on-a0.sql"})
public final class RepairSqlCommand implements Callable<Integer> {

    /** The side whose rows are right. */
    enum Source { A, A0 }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--from", required = true, paramLabel = "F", description = "a diff file written by verify --diff-file")
    Path from;

    @Option(names = "--source", required = true, paramLabel = "A|A0", description = "the side to copy from")
    Source source;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "where to write the SQL")
    Path out;

    @Override
    public Integer call() throws IOException {
        String field = source == Source.A ? "repairOnA0" : "repairOnA";
        String target = source == Source.A ? "A0" : "A";
        ObjectMapper mapper = new ObjectMapper();
        long statements = 0;
        try (BufferedReader in = Files.newBufferedReader(from, StandardCharsets.UTF_8);
             BufferedWriter sql = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            sql.write("-- mitosis repair: run on " + target + " to make it like " + source + "; review first.\n");
            sql.write("-- Values are exact bytes; TIMESTAMP literals are UTC, hence the time zone.\n");
            sql.write("-- Strict, so that no value is silently changed; invalid and zero dates go in as the source has them.\n");
            sql.write("-- The source already holds these rows: sql_log_bin=0 keeps the repair from replicating back,\n");
            sql.write("-- where a row-based insert of a row it has would stop replication (duplicate key).\n");
            for (String setting : RowDifference.REPAIR_SESSION) {
                sql.write(setting + ";\n");
            }
            String line;
            long lineNumber = 0;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode difference = mapper.readTree(line);
                JsonNode statement = difference.get(field);
                if (statement == null || !statement.isTextual()) {
                    throw OperatorException.usage(from + " line " + lineNumber + " has no " + field
                            + ": not a diff file written by mitosis verify --diff-file");
                }
                sql.write(statement.asText() + ";\n");
                statements++;
            }
        } catch (NoSuchFileException e) {
            throw OperatorException.usage("--from " + from + ": no such file");
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("from", from.toAbsolutePath().toString());
        summary.put("runOn", target);
        summary.put("statements", statements);
        summary.put("out", out.toAbsolutePath().toString());
        JsonOut.print(spec.commandLine().getOut(), summary);
        return ExitCodes.OK;
    }
}
