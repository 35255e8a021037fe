package dev.mitosis.ops.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;

/** Commands that give a verdict or summary print exactly one JSON object, on one line, on stdout. */
public final class JsonOut {

    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private JsonOut() {
    }

    public static void print(PrintWriter out, Object summary) {
        try {
            out.println(MAPPER.writeValueAsString(summary));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render the summary as JSON", e);
        }
    }
}
