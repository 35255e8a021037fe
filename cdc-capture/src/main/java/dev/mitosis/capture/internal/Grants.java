package dev.mitosis.capture.internal;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The privileges in the lines of {@code SHOW GRANTS FOR CURRENT_USER()}: global ones ({@code ON *.*}) and
 * schema-wide ones ({@code ON `app`.*}). Privileges through roles are not followed (capture's user should have
 * them directly).
 */
final class Grants {

    private static final Pattern GRANT = Pattern.compile("^GRANT (.+?) ON (\\S+) TO ", Pattern.CASE_INSENSITIVE);

    private final Set<String> global = new HashSet<>();
    private final Set<String> schemaWide = new HashSet<>();

    static Grants parse(List<String> lines) {
        Grants grants = new Grants();
        for (String line : lines) {
            Matcher m = GRANT.matcher(line.trim());
            if (!m.find()) {
                continue;
            }
            String on = m.group(2);
            for (String privilege : m.group(1).split(",")) {
                String name = privilege.trim().toUpperCase(Locale.ROOT);
                if (on.equals("*.*")) {
                    grants.global.add(name);
                } else if (on.endsWith(".*")) {
                    grants.schemaWide.add(unquote(on.substring(0, on.length() - 2)) + ":" + name);
                }
            }
        }
        return grants;
    }

    private static String unquote(String identifier) {
        return identifier.startsWith("`") && identifier.endsWith("`")
                ? identifier.substring(1, identifier.length() - 1).replace("``", "`") : identifier;
    }

    boolean hasGlobal(String privilege) {
        return global.contains("ALL PRIVILEGES") || global.contains(privilege);
    }

    boolean canSelect(String schema) {
        return hasGlobal("SELECT") || schemaWide.contains(schema + ":SELECT")
                || schemaWide.contains(schema + ":ALL PRIVILEGES");
    }
}
