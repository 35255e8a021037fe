package dev.mitosis.connectors.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Reads the text of a YAML config file into a tree, reporting what makes it unusable as a config problem:
 * a syntax error (with line and column), a key written twice in one map (YAML would quietly keep the last),
 * an empty file, or more than one document.
 */
public final class YamlConfigReader {

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private YamlConfigReader() {
    }

    /**
     * @return the tree of the one document in {@code text}, or empty after recording why there is none
     */
    public static Optional<JsonNode> read(String text, ConfigProblems problems) {
        try (JsonParser parser = MAPPER.createParser(text)) {
            JsonNode tree = MAPPER.readTree(parser);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                problems.add("", "the file is empty, expected a YAML map of config keys");
                return Optional.empty();
            }
            if (parser.nextToken() != null) {
                problems.add("", "the file holds more than one YAML document (a second '---' at line "
                        + parser.currentTokenLocation().getLineNr() + "), expected exactly one");
                return Optional.empty();
            }
            return Optional.of(tree);
        } catch (JsonProcessingException e) {
            problems.add("", "YAML syntax error " + where(e) + ": " + what(e));
            return Optional.empty();
        } catch (IOException e) {
            // Reading from a String has no I/O to fail.
            throw new UncheckedIOException(e);
        }
    }

    private static String where(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
            Mark mark = marked.getProblemMark();
            return "at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        }
        JsonLocation location = e.getLocation();
        return location == null ? "" : "at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The problem alone: SnakeYAML's full message quotes the file, which is not ours to print. */
    private static String what(JsonProcessingException e) {
        if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblem() != null) {
            String context = marked.getContext();
            return context == null ? marked.getProblem() : context + ", " + marked.getProblem();
        }
        String message = e.getOriginalMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
