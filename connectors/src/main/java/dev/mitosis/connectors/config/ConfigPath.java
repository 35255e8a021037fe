package dev.mitosis.connectors.config;

/**
 * Full key paths as messages and docs show them: {@code split.old.shards}, {@code pairs[1].servers[0].port},
 * {@code tables[app.users].shard.key}. A list element is {@code [index]}, a named map entry {@code [name]}.
 */
public final class ConfigPath {

    private ConfigPath() {
    }

    /** The path of key {@code name} inside the map at {@code parent} (empty for the root). */
    public static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    /** The path of element {@code index} of the list at {@code list}. */
    public static String element(String list, int index) {
        return list + "[" + index + "]";
    }

    /** The path of entry {@code name} of the named-entry map at {@code map}. */
    public static String entry(String map, String name) {
        return map + "[" + name + "]";
    }
}
