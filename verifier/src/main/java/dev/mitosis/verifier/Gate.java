package dev.mitosis.verifier;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What a deployment pipeline may conclude from the stored verdict: PASS only when the stored verdict is PASS and
 * younger than the maximum age; a stale PASS, or no verdict at all, is UNKNOWN.
 */
public final class Gate {

    /**
     * The gate's answer.
     *
     * @param pair          the pair
     * @param verdict       the verdict to act on
     * @param reason        why, in one line
     * @param storedVerdict the stored verdict, or null if none
     * @param ageMs         age of the stored verdict (from its finish time), or -1
     * @param maxAgeMs      the maximum age applied
     * @param report        the stored report, or null
     */
    public record Decision(int pair, Verdict verdict, String reason, Verdict storedVerdict, long ageMs, long maxAgeMs,
                           PairReport report) {
    }

    private Gate() {
    }

    public static Decision decide(int pair, Optional<PairReport> stored, Instant now, Duration maxAge) {
        if (stored.isEmpty()) {
            return new Decision(pair, Verdict.UNKNOWN, "no verdict stored for pair " + pair
                    + ": run `mitosis verify --pair " + pair + "` first", null, -1, maxAge.toMillis(), null);
        }
        PairReport report = stored.get();
        long age = Duration.between(Instant.parse(report.finishedAt()), now).toMillis();
        if (report.verdict() == Verdict.PASS && age > maxAge.toMillis()) {
            return new Decision(pair, Verdict.UNKNOWN, "the PASS is " + age / 1000 + " s old, older than the maximum "
                    + maxAge.toMillis() / 1000 + " s: verify again", report.verdict(), age, maxAge.toMillis(), report);
        }
        String reason = switch (report.verdict()) {
            case PASS -> "PASS at GTID " + report.gtidA() + " / " + report.gtidA0() + ", " + age / 1000 + " s old";
            case FAIL -> report.totals().differences() + " differing row(s) or table(s): see the report";
            case UNKNOWN -> report.reasons().isEmpty() ? "some tables could not be fully compared: see the report"
                    : report.reasons().get(0);
        };
        return new Decision(pair, report.verdict(), reason, report.verdict(), age, maxAge.toMillis(), report);
    }
}
