package dev.mitosis.connectors.mariadb;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A MariaDB GTID position ({@code @@gtid_binlog_pos}, {@code gtid_slave_pos}): for each replication domain, the
 * last GTID {@code domain-server-sequence}. Positions compare per domain by sequence number, as MariaDB does.
 */
public final class GtidPosition {

    /** One GTID of a position. */
    public record Gtid(long domain, long serverId, long sequence) {

        public static Gtid parse(String text) {
            String[] parts = text.trim().split("-");
            if (parts.length != 3) {
                throw new IllegalArgumentException("not a GTID (domain-server-sequence): '" + text + "'");
            }
            try {
                return new Gtid(Long.parseUnsignedLong(parts[0]), Long.parseUnsignedLong(parts[1]),
                        Long.parseUnsignedLong(parts[2]));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a GTID (domain-server-sequence): '" + text + "'", e);
            }
        }

        @Override
        public String toString() {
            return domain + "-" + serverId + "-" + sequence;
        }
    }

    private static final GtidPosition EMPTY = new GtidPosition(Map.of());
    private final Map<Long, Gtid> byDomain;

    private GtidPosition(Map<Long, Gtid> byDomain) {
        this.byDomain = Collections.unmodifiableMap(new TreeMap<>(byDomain));
    }

    /** Parses {@code "0-1-100,1-2-50"}; null or blank is the empty position. */
    public static GtidPosition parse(String text) {
        if (text == null || text.isBlank()) {
            return EMPTY;
        }
        Map<Long, Gtid> domains = new TreeMap<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Gtid gtid = Gtid.parse(part);
            if (domains.put(gtid.domain(), gtid) != null) {
                throw new IllegalArgumentException("GTID position '" + text + "' names domain " + gtid.domain() + " twice");
            }
        }
        return new GtidPosition(domains);
    }

    public static GtidPosition empty() {
        return EMPTY;
    }

    public Map<Long, Gtid> byDomain() {
        return byDomain;
    }

    public Optional<Gtid> domain(long domain) {
        return Optional.ofNullable(byDomain.get(domain));
    }

    /** Only the given domain (empty if this position has none in it). */
    public GtidPosition onlyDomain(long domain) {
        return domain(domain).map(g -> new GtidPosition(Map.of(domain, g))).orElse(EMPTY);
    }

    /** Whether every domain of {@code other} is here with at least its sequence number. */
    public boolean covers(GtidPosition other) {
        return other.byDomain.values().stream().allMatch(g ->
                byDomain.containsKey(g.domain()) && Long.compareUnsigned(byDomain.get(g.domain()).sequence(), g.sequence()) >= 0);
    }

    /** Transactions of {@code other} not covered here, summed over domains (0 when this covers it). */
    public long transactionsBehind(GtidPosition other) {
        long behind = 0;
        for (Gtid g : other.byDomain.values()) {
            long mine = byDomain.containsKey(g.domain()) ? byDomain.get(g.domain()).sequence() : 0;
            if (Long.compareUnsigned(g.sequence(), mine) > 0) {
                behind += g.sequence() - mine;
            }
        }
        return behind;
    }

    public boolean isEmpty() {
        return byDomain.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GtidPosition p && p.byDomain.equals(byDomain);
    }

    @Override
    public int hashCode() {
        return byDomain.hashCode();
    }

    /** In MariaDB's own notation, domains ascending. */
    @Override
    public String toString() {
        return byDomain.values().stream().map(Gtid::toString).collect(Collectors.joining(","));
    }
}
