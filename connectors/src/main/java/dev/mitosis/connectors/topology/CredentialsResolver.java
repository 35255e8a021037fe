package dev.mitosis.connectors.topology;

import dev.mitosis.connectors.config.ConfigProblems;
import dev.mitosis.connectors.config.ConfigValueText;
import dev.mitosis.connectors.config.ConfigValues;
import dev.mitosis.connectors.config.Password;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

import static dev.mitosis.connectors.topology.MitosisConfigDef.PASSWORD_ENV;
import static dev.mitosis.connectors.topology.MitosisConfigDef.PASSWORD_FILE;
import static dev.mitosis.connectors.topology.MitosisConfigDef.USER;

/**
 * Resolves the credentials of each server: its own {@code user} and password source where it sets them, the
 * {@code credentials} section's otherwise. Reads password files and environment variables; problems name the
 * key, the file path or the variable name, never what the password is.
 */
final class CredentialsResolver {

    /** A password file is a few bytes; anything larger is the wrong file. */
    private static final long MAX_PASSWORD_FILE_BYTES = 4096;

    private final Function<String, String> environment;
    private final Path baseDir;
    private final ConfigProblems problems;

    /**
     * @param environment looks up environment variables (null when unset)
     * @param baseDir     the directory relative password files are resolved against
     */
    CredentialsResolver(Function<String, String> environment, Path baseDir, ConfigProblems problems) {
        this.environment = environment;
        this.baseDir = baseDir;
        this.problems = problems;
    }

    /** The default credentials, which must set a user and exactly one password source. */
    Optional<Credentials> resolveDefaults(ConfigValues credentials) {
        Optional<Resolved> password = resolvePassword(credentials, true);
        if (password.isEmpty() || !credentials.isSet(USER)) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(credentials.getString(USER), password.get().password(),
                password.get().source()));
    }

    /**
     * The credentials of one server: its overrides on top of {@code defaults}.
     *
     * @param defaults the resolved default credentials, empty when they had problems (already reported)
     */
    Optional<Credentials> resolveServer(ConfigValues server, Optional<Credentials> defaults) {
        boolean ownPassword = server.isExplicit(PASSWORD_FILE) || server.isExplicit(PASSWORD_ENV);
        Optional<Resolved> password = ownPassword
                ? resolvePassword(server, false)
                : defaults.map(credentials -> new Resolved(credentials.password(), credentials.source()));
        Optional<String> user = server.isExplicit(USER)
                ? server.findString(USER)
                : defaults.map(Credentials::user);
        if (password.isEmpty() || user.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Credentials(user.get(), password.get().password(), password.get().source()));
    }

    private record Resolved(Password password, PasswordSource source) {
    }

    private Optional<Resolved> resolvePassword(ConfigValues values, boolean required) {
        boolean file = values.isExplicit(PASSWORD_FILE);
        boolean env = values.isExplicit(PASSWORD_ENV);
        if (file && env) {
            problems.add(values.path(), "both " + PASSWORD_FILE + shown(values, PASSWORD_FILE) + " and "
                    + PASSWORD_ENV + shown(values, PASSWORD_ENV) + " are set, expected exactly one of them");
            return Optional.empty();
        }
        if (!file && !env) {
            if (required) {
                problems.add(values.path(), "neither " + PASSWORD_FILE + " nor " + PASSWORD_ENV
                        + " is set, expected exactly one of them");
            }
            return Optional.empty();
        }
        if (file) {
            return values.findString(PASSWORD_FILE).flatMap(path -> readFile(values.pathOf(PASSWORD_FILE), path));
        }
        return values.findString(PASSWORD_ENV).flatMap(variable -> readEnv(values.pathOf(PASSWORD_ENV), variable));
    }

    private Optional<Resolved> readEnv(String key, String variable) {
        String value = environment.apply(variable);
        if (value == null) {
            problems.invalid(key, ConfigValueText.render(variable), "is not set in the environment",
                    "the name of a set environment variable holding the password");
            return Optional.empty();
        }
        return Optional.of(new Resolved(new Password(value), new PasswordSource.Env(variable)));
    }

    private Optional<Resolved> readFile(String key, String given) {
        Path path = baseDir.resolve(given).normalize();
        String shown = ConfigValueText.render(given) + (path.toString().equals(given) ? "" : " (" + path + ")");
        String expected = "a readable file holding the password";
        try {
            if (Files.isDirectory(path)) {
                problems.invalid(key, shown, "is a directory", expected);
                return Optional.empty();
            }
            if (Files.size(path) > MAX_PASSWORD_FILE_BYTES) {
                problems.invalid(key, shown, "is larger than " + MAX_PASSWORD_FILE_BYTES + " bytes", expected);
                return Optional.empty();
            }
            String content = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(path)))
                    .toString();
            return Optional.of(new Resolved(new Password(withoutTrailingNewline(content)),
                    new PasswordSource.File(path)));
        } catch (NoSuchFileException e) {
            problems.invalid(key, shown, "does not exist", expected);
        } catch (AccessDeniedException e) {
            problems.invalid(key, shown, "cannot be read (permission denied)", expected);
        } catch (CharacterCodingException e) {
            problems.invalid(key, shown, "is not UTF-8 text", expected);
        } catch (IOException e) {
            // The exception's message may quote the file; its type says enough.
            problems.invalid(key, shown, "cannot be read (" + e.getClass().getSimpleName() + ")", expected);
        }
        return Optional.empty();
    }

    /** Editors and {@code echo} end files with a newline that is not part of the password. */
    private static String withoutTrailingNewline(String content) {
        if (content.endsWith("\r\n")) {
            return content.substring(0, content.length() - 2);
        }
        return content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
    }

    private static String shown(ConfigValues values, String key) {
        return values.findString(key).map(ConfigValueText::render).map(text -> " (" + text + ")").orElse("");
    }
}
