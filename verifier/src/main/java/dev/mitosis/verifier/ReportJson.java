package dev.mitosis.verifier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.UncheckedIOException;

/** Reports as JSON: the form stored in the verdict store, written to report.json and read back by the gate. */
public final class ReportJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final ObjectMapper PRETTY = MAPPER.copy().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    /** One line of JSON. */
    public static String compact(Object report) {
        return write(MAPPER, report);
    }

    /** Indented JSON, for report.json. */
    public static String pretty(Object report) {
        return write(PRETTY, report);
    }

    /** Reads a report written by {@link #compact} or {@link #pretty}. */
    public static PairReport read(String json) {
        try {
            return MAPPER.readValue(json, PairReport.class);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("not a mitosis pair report: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(ObjectMapper mapper, Object report) {
        try {
            return mapper.writeValueAsString(report);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot render the report as JSON", e);
        }
    }
}
