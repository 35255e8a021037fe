package dev.mitosis.purger.proof;

import dev.mitosis.connectors.time.Sleeper;
import dev.mitosis.connectors.topology.TableRule;
import dev.mitosis.purger.ArchiveCheck;
import dev.mitosis.purger.CaptureStatusSource;
import dev.mitosis.purger.PurgePlan;
import dev.mitosis.purger.PurgeTarget;
import dev.mitosis.purger.Purger;
import dev.mitosis.purger.ResidueCounts;
import dev.mitosis.purger.TablePlan;
import dev.mitosis.purger.archive.ChangeArchive;
import dev.mitosis.purger.internal.ArchiveWaiter;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * Proves a purged shard: no row of the purged residue remains (exact counts with the shard map's predicate), the
 * archive shows every purge-tagged change of this server was a delete of a row of that residue (so no owned row was
 * touched by the purge), and the archive holds as many purge-tagged deletes as the purger recorded. Evidence that
 * cannot be complete — capture not covering the server's position, an archive shorter than the purger's count, a
 * broker that does not answer — makes the verdict CANNOT_TELL, never PROVEN.
 */
public final class PurgeProof {

    private final PurgeTarget target;
    private final List<String> schemas;
    private final BiFunction<String, String, TableRule> rules;
    private final ChangeArchive archive;
    private final CaptureStatusSource capture;
    private final Duration captureWait;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Consumer<String> progress;

    /**
     * @param capture     capture's newest status of the target's server
     * @param captureWait how long to wait for capture to cover the server's position taken at the start
     * @param progress    one line per step, for an operator
     */
    public PurgeProof(PurgeTarget target, List<String> schemas, BiFunction<String, String, TableRule> rules,
                      ChangeArchive archive, CaptureStatusSource capture, Duration captureWait, Clock clock,
                      Sleeper sleeper, Consumer<String> progress) {
        this.target = Objects.requireNonNull(target, "target");
        this.schemas = List.copyOf(schemas);
        this.rules = Objects.requireNonNull(rules, "rules");
        this.archive = Objects.requireNonNull(archive, "archive");
        this.capture = Objects.requireNonNull(capture, "capture");
        this.captureWait = Objects.requireNonNull(captureWait, "captureWait");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Runs the proof. */
    public ProofReport prove() throws SQLException, InterruptedException {
        progress.accept("waiting up to " + captureWait.toSeconds() + " s for capture to cover the position of "
                + target.serverName());
        ArchiveCheck check = new ArchiveWaiter(target.serverName(), target.sessions(), capture, clock, sleeper)
                .await(captureWait);
        Optional<String> gap = check.archived() ? Optional.empty() : Optional.of(check.reason());
        progress.accept((check.archived() ? "capture covers " + check.position() + ": " : "capture incomplete: ")
                + check.reason());
        PurgePlan plan = Purger.builder(target).tables(schemas, rules).build().plan(true);
        List<TableProof> tables = new ArrayList<>();
        Verdict verdict = gap.isPresent() ? Verdict.CANNOT_TELL : Verdict.PROVEN;
        for (TablePlan table : plan.tables()) {
            TableProof proof = prove(table, gap);
            progress.accept(proof.table() + ": " + proof.verdict() + " remaining=" + proof.remaining().purge()
                    + " tagged_deletes=" + proof.taggedDeletes() + " reported_deleted=" + proof.reportedDeleted()
                    + " violations=" + proof.violations()
                    + (proof.reasons().isEmpty() ? "" : " (" + String.join("; ", proof.reasons()) + ")"));
            tables.add(proof);
            verdict = verdict.and(proof.verdict());
        }
        return new ProofReport(target.newShard(), target.serverName(), target.purgedResidue(), target.keptResidue(),
                check.position(), gap, tables, verdict);
    }

    private TableProof prove(TablePlan table, Optional<String> gap) throws SQLException, InterruptedException {
        ResidueCounts remaining = table.counts().orElseThrow();
        PurgeCheckpoints.Recorded recorded;
        try (Connection c = target.sessions().open()) {
            recorded = PurgeCheckpoints.of(c, target.newShard(), table.schema(), table.table())
                    .orElse(new PurgeCheckpoints.Recorded(0, 0, false, null));
        }
        String topic = archive.topic(target.serverName(), table.schema(), table.table());
        PurgeAudit audit = new PurgeAudit(target, table.qualifiedName());
        Optional<String> unreadable = Optional.empty();
        try {
            archive.read(topic, audit::accept);
        } catch (ChangeArchive.ArchiveUnreadableException e) {
            unreadable = Optional.of("archive " + topic + " unreadable: " + e.getMessage());
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            unreadable = Optional.of("archive " + topic + " unreadable: " + e);
        }
        List<String> definite = new ArrayList<>();
        List<String> doubts = new ArrayList<>();
        table.skipReason().ifPresent(r -> definite.add("not purged: " + r));
        if (remaining.purge() > 0) {
            definite.add(remaining.purge() + " row(s) of the purged residue " + target.purgedResidue() + " remain");
        }
        if (audit.violations() > 0) {
            definite.add(audit.violations() + " purge-tagged change(s) that are not deletes of the purged residue");
        }
        unreadable.ifPresent(doubts::add);
        gap.ifPresent(doubts::add);
        if (unreadable.isEmpty() && audit.taggedDeletes() < recorded.rowsDeleted()) {
            doubts.add("the archive holds " + audit.taggedDeletes() + " purge-tagged deletes but the purger recorded "
                    + recorded.rowsDeleted() + " deleted: the archive is incomplete"
                    + (gap.isPresent() ? " (capture is still behind)" : ""));
        }
        Verdict verdict = !definite.isEmpty() ? Verdict.DISPROVEN : !doubts.isEmpty() ? Verdict.CANNOT_TELL
                : Verdict.PROVEN;
        List<String> reasons = new ArrayList<>(definite);
        reasons.addAll(doubts);
        return new TableProof(table.qualifiedName(), remaining, recorded.rowsDeleted(), recorded.done(), topic,
                audit.taggedDeletes(), audit.taggedEvents(), audit.violations(), audit.samples(), verdict, reasons);
    }
}
