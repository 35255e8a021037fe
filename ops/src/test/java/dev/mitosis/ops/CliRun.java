package dev.mitosis.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the mitosis command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** stdout must be exactly one JSON object on one line. */
    JsonNode json() {
        String trimmed = out.strip();
        if (trimmed.isEmpty() || trimmed.contains("\n")) {
            throw new AssertionError("expected one line of JSON on stdout, got: <" + out + ">; stderr: " + err);
        }
        try {
            JsonNode node = new ObjectMapper().readTree(trimmed);
            if (!node.isObject()) {
                throw new AssertionError("stdout is JSON but not an object: " + trimmed);
            }
            return node;
        } catch (java.io.IOException e) {
            throw new AssertionError("stdout is not JSON: " + trimmed, e);
        }
    }
}
