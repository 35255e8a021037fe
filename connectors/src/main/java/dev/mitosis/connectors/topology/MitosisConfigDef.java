package dev.mitosis.connectors.topology;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mitosis.connectors.config.ConfigDef;
import dev.mitosis.connectors.config.ConfigDef.Importance;
import dev.mitosis.connectors.config.ConfigDef.Type;
import dev.mitosis.connectors.config.ConfigDocs;
import dev.mitosis.connectors.config.Matches;
import dev.mitosis.connectors.config.NonEmpty;
import dev.mitosis.connectors.config.Range;
import dev.mitosis.connectors.config.Validator;
import dev.mitosis.connectors.shard.ShardMap;

import java.util.List;

/**
 * The keys of mitosis.yaml, each declared once. The parser, {@code mitosis config docs} and the sample file are
 * all generated from {@link #definition()}; cross-field rules live in the binders that
 * {@link MitosisConfigLoader} runs after parsing.
 */
public final class MitosisConfigDef {

    // Key names as written in YAML, each within its section; a dot is part of the name, not a level.

    public static final String SPLIT = "split";
    public static final String OLD_SHARDS = "old.shards";
    public static final String NEW_SHARDS = "new.shards";
    public static final String SCHEMAS = "schemas";
    public static final String CREDENTIALS = "credentials";
    public static final String USER = "user";
    public static final String PASSWORD_FILE = "password.file";
    public static final String PASSWORD_ENV = "password.env";
    public static final String KAFKA = "kafka";
    public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
    public static final String TOPIC_PREFIX = "topic.prefix";
    public static final String PAIRS = "pairs";
    public static final String PAIR = "pair";
    public static final String SERVERS = "servers";
    public static final String NAME = "name";
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String TABLES = "tables";
    public static final String SHARD_KEY = "shard.key";
    public static final String BROADCAST = "broadcast";
    public static final String VERIFY = "verify";
    public static final String CHUNK_TARGET_MS = "chunk.target.ms";
    public static final String CHUNK_INITIAL_ROWS = "chunk.initial.rows";
    public static final String CHUNK_MAX_ROWS = "chunk.max.rows";
    public static final String RECHECK_MAX_ATTEMPTS = "recheck.max.attempts";
    public static final String RECHECK_WAIT_MS = "recheck.wait.ms";
    public static final String MAX_AGE_MS = "max.age.ms";
    public static final String MAX_THREADS_RUNNING = "max.threads.running";
    public static final String STATEMENT_TIMEOUT_MS = "statement.timeout.ms";
    public static final String LOCK_WAIT_TIMEOUT_SECONDS = "lock.wait.timeout.seconds";

    /** Server names go into Kafka topic names: only characters legal there, starting with a letter or digit. */
    static final String SERVER_NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]*";

    private MitosisConfigDef() {
    }

    /** A fresh copy of the declarations of mitosis.yaml. */
    public static ConfigDef definition() {
        return new ConfigDef()
                .defineSection(SPLIT, true, split(), Importance.HIGH,
                        "The split to perform: how many shards there are and how many there will be.")
                .define(SCHEMAS, Type.LIST, ConfigDef.NO_DEFAULT_VALUE,
                        Validator.allOf("a non-empty list of schema names (no '.' or whitespace)",
                                NonEmpty.described("a non-empty list"),
                                Matches.pattern("[^.\\s\\x00]+", "schema names")),
                        Importance.HIGH,
                        "The schemas (databases) in scope: verified, captured and purged. Tables elsewhere are "
                                + "left alone.")
                .defineSection(CREDENTIALS, true, defineLogin(new ConfigDef(), true), Importance.HIGH,
                        "The credentials mitosis logs in to every server with, unless the server sets its own.")
                .defineSection(KAFKA, true, kafka(), Importance.HIGH,
                        "The Kafka cluster that carries the change stream, verdicts and checkpoints.")
                .defineListOf(PAIRS, true, pair(), NonEmpty.described("a non-empty list of pairs, one per old shard"),
                        Importance.HIGH,
                        "The dual-master pairs of the fleet today, one per old shard, numbered 0 to "
                                + "split.old.shards - 1.")
                .defineMapOf(TABLES, false, "schema.table",
                        Matches.pattern("[^.\\s\\x00]+\\.[^.\\s\\x00]+", "a table name schema.table"),
                        table(), Importance.MEDIUM,
                        "Tables that need a rule of their own. A table not listed is sharded by the column "
                                + TableRule.DEFAULT_SHARD_KEY + ".")
                .defineSection(PurgeKeys.PURGE, false, PurgeKeys.definition(), Importance.MEDIUM, PurgeKeys.DOC)
                .defineSection(VERIFY, false, verify(), Importance.MEDIUM,
                        "How the verifier compares A and A0: chunk sizing, re-checks under live writes, gentleness "
                                + "on the primaries and how long a verdict stays fresh. Left out, every key has its "
                                + "default.")
                .defineSection(DaemonKeys.DAEMON, false, DaemonKeys.daemon(), Importance.MEDIUM,
                        DaemonKeys.DAEMON_DOC)
                .defineSection(DaemonKeys.HTTP, false, DaemonKeys.http(), Importance.MEDIUM, DaemonKeys.HTTP_DOC);
    }

    /** The keys of the {@code verify} section; its defaults are what a config without the section gets. */
    public static ConfigDef verify() {
        return new ConfigDef()
                .define(CHUNK_TARGET_MS, Type.LONG, 500L, Range.between(10, 600_000), Importance.MEDIUM,
                        "The time one chunk checksum should take on the slower server; chunk sizes adapt to it. A chunk that"
                                + " takes over twice this makes the verifier rest as long as the chunk took.")
                .define(CHUNK_INITIAL_ROWS, Type.INT, 1000, Range.between(1, 10_000_000), Importance.LOW,
                        "The rows of a table's first chunk, before sizes adapt to verify.chunk.target.ms.")
                .define(CHUNK_MAX_ROWS, Type.INT, 200_000, Range.between(1, 10_000_000), Importance.LOW,
                        "The most rows a chunk may span, however fast the servers answer.")
                .define(RECHECK_MAX_ATTEMPTS, Type.INT, 5, Range.between(1, 1000), Importance.MEDIUM,
                        "How often a differing chunk is re-read after each server applied the other's GTIDs; "
                                + "a chunk still changing after that is hot and makes the verdict UNKNOWN.")
                .define(RECHECK_WAIT_MS, Type.LONG, 10_000L, Range.between(1, 3_600_000), Importance.LOW,
                        "How long a re-check waits (MASTER_GTID_WAIT) for a server to apply the other's GTIDs.")
                .define(MAX_AGE_MS, Type.LONG, 600_000L, Range.between(1, Long.MAX_VALUE), Importance.HIGH,
                        "A stored PASS older than this reads as UNKNOWN at the gate (gate --max-age overrides).")
                .define(MAX_THREADS_RUNNING, Type.INT, 50, Range.between(1, 100_000), Importance.MEDIUM,
                        "The verifier waits (a chunk target at a time, at most 20 times per chunk) while a server's"
                                + " Threads_running is above this.")
                .define(STATEMENT_TIMEOUT_MS, Type.LONG, 60_000L, Range.between(1000, 86_400_000),
                        Importance.LOW, "max_statement_time of the verifier's sessions: no query of it runs longer.")
                .define(LOCK_WAIT_TIMEOUT_SECONDS, Type.INT, 5, Range.between(1, 3600), Importance.LOW,
                        "lock_wait_timeout and innodb_lock_wait_timeout of the verifier's sessions.");
    }

    private static ConfigDef split() {
        return new ConfigDef()
                .define(OLD_SHARDS, Type.INT, ConfigDef.NO_DEFAULT_VALUE, Range.between(1, ShardMap.MAX_OLD_SHARDS),
                        Importance.HIGH, "n: the number of shards today, one per dual-master pair.")
                .define(NEW_SHARDS, Type.INT, ConfigDef.NO_DEFAULT_VALUE, Range.between(2, Integer.MAX_VALUE - 1),
                        Importance.HIGH, "The number of shards after the split. It must be exactly "
                                + "2 * split.old.shards: stating it guards against splitting the wrong fleet.");
    }

    /**
     * Declares the login keys, shared by the default credentials and the per-server override.
     *
     * @param defaults whether these are the defaults (user required) or a server's override (all optional)
     */
    private static ConfigDef defineLogin(ConfigDef def, boolean defaults) {
        String exactlyOne = defaults
                ? " Set exactly one of password.file and password.env."
                : " Replaces the password source of credentials for this server; set at most one of password.file"
                        + " and password.env.";
        Importance importance = defaults ? Importance.HIGH : Importance.LOW;
        return def
                .define(USER, Type.STRING, defaults ? ConfigDef.NO_DEFAULT_VALUE : null,
                        NonEmpty.described("a MariaDB user name"), importance, defaults
                                ? "The MariaDB user mitosis logs in as."
                                : "The MariaDB user for this server, instead of credentials.user.")
                .define(PASSWORD_FILE, Type.STRING, null, NonEmpty.described("a path to a readable file"), importance,
                        "A file holding the password. A relative path is relative to the config file's directory;"
                                + " one trailing newline is not part of the password." + exactlyOne)
                .define(PASSWORD_ENV, Type.STRING, null,
                        Matches.pattern("[A-Za-z_][A-Za-z0-9_]*", "an environment variable name"), importance,
                        "An environment variable holding the password." + exactlyOne);
    }

    private static ConfigDef kafka() {
        return new ConfigDef()
                .define(BOOTSTRAP_SERVERS, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new HostPortList(),
                        Importance.HIGH, "The brokers to connect to first, host:port[,host:port...].")
                .define(TOPIC_PREFIX, Type.STRING, "mitosis",
                        Matches.pattern("[A-Za-z0-9._-]{1,100}",
                                "a topic name prefix of 1 to 100 letters, digits, '.', '_' or '-'"),
                        Importance.LOW, "The prefix of every topic mitosis creates, so several splits can share "
                                + "one cluster.");
    }

    private static ConfigDef pair() {
        return new ConfigDef()
                .define(PAIR, Type.INT, ConfigDef.NO_DEFAULT_VALUE, Range.atLeast(0), Importance.HIGH,
                        "The pair number, which is its old shard number: rows with uid mod n equal to it.")
                .defineListOf(SERVERS, true, server(), null, Importance.HIGH,
                        "Exactly two servers: A first (new shard i after the split), A0 second (new shard i + n).");
    }

    private static ConfigDef server() {
        ConfigDef server = new ConfigDef()
                .define(NAME, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                        Matches.pattern(SERVER_NAME_PATTERN, "a server name: a letter or digit, then letters, "
                                + "digits, '_', '.' or '-'"),
                        Importance.HIGH, "A name unique in the topology; it goes into Kafka topic names.")
                .define(HOST, Type.STRING, ConfigDef.NO_DEFAULT_VALUE,
                        Matches.pattern("[A-Za-z0-9._:%-]+", "a host name or IP address"),
                        Importance.HIGH, "The host name or IP address of the server.")
                .define(PORT, Type.INT, ConfigDef.NO_DEFAULT_VALUE, Range.between(1, 65535), Importance.HIGH,
                        "The MariaDB port of the server.");
        return defineLogin(server, false);
    }

    private static ConfigDef table() {
        return new ConfigDef()
                .define(SHARD_KEY, Type.STRING, TableRule.DEFAULT_SHARD_KEY, new ColumnName(), Importance.MEDIUM,
                        "The column whose value mod n places each row. Not allowed on a broadcast table.")
                .define(BROADCAST, Type.BOOLEAN, false, Importance.MEDIUM,
                        "Whether the table is a full copy on every shard: verified, never purged.");
    }

    /**
     * The values of the sample file: a two-pair fleet as {@code mitosis sandbox up} makes one. The password
     * comes from the environment variable {@code MITOSIS_PASSWORD}.
     */
    public static JsonNode sampleValues() {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        root.putObject(SPLIT).put(OLD_SHARDS, 2).put(NEW_SHARDS, 4);
        root.putArray(SCHEMAS).add("app");
        root.putObject(CREDENTIALS).put(USER, "mitosis").put(PASSWORD_ENV, "MITOSIS_PASSWORD");
        root.putObject(KAFKA).put(BOOTSTRAP_SERVERS, "127.0.0.1:9092").put(TOPIC_PREFIX, "mitosis");
        var pairs = root.putArray(PAIRS);
        for (int pair = 0; pair < 2; pair++) {
            ObjectNode entry = pairs.addObject().put(PAIR, pair);
            var servers = entry.putArray(SERVERS);
            servers.addObject().put(NAME, "p" + pair + "-a").put(HOST, "127.0.0.1").put(PORT, 33061 + 2 * pair);
            servers.addObject().put(NAME, "p" + pair + "-a0").put(HOST, "127.0.0.1").put(PORT, 33062 + 2 * pair);
        }
        ObjectNode tables = root.putObject(TABLES);
        tables.putObject("app.users").put(SHARD_KEY, TableRule.DEFAULT_SHARD_KEY);
        tables.putObject("app.countries").put(BROADCAST, true);
        return root;
    }

    /** The documented sample mitosis.yaml: {@link #sampleValues()} with every key's doc as a comment. */
    public static String sampleYaml() {
        return ConfigDocs.sampleYaml(definition(), sampleValues(), List.of(
                "mitosis.yaml: the fleet to split, from n dual-master pairs to 2n shards.",
                "Generated from the key declarations (mitosis config docs has the same text as a reference).",
                "Keys commented out show their default or type; the password comes from $MITOSIS_PASSWORD."));
    }

    /** The Markdown reference of every key of mitosis.yaml. */
    public static String markdown() {
        return ConfigDocs.markdown(definition(), "mitosis.yaml reference");
    }
}
