package dev.mitosis.verifier.internal;

import dev.mitosis.verifier.DifferenceKind;
import dev.mitosis.verifier.RowDifference;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RowNarrowerTest {

    private static final Column ID = new Column("id", "int", "int(11)");
    private static final Column CODE = new Column("code", "char", "char(2)", "utf8mb4_general_ci");
    private static final Column NAME = new Column("name", "varchar", "varchar(10)", "utf8mb4_general_ci");
    private static final TableShape SHAPE = new TableShape("app", "t", List.of(ID, CODE, NAME), List.of(ID, CODE));

    private static RowHashes.Entry entry(String keyText, String hash) {
        return new RowHashes.Entry(keyText, hash, new KeyBound(List.of(BigDecimal.ONE, "de")), Map.of("id", "1", "code", "de"));
    }

    private static RowValues row(String name) {
        Map<String, String> exact = new LinkedHashMap<>(Map.of("id", "1", "code", "6465", "name", name == null ? "N" : name));
        Map<String, String> literals = new LinkedHashMap<>(Map.of("id", "1", "code", "X'6465'",
                "name", name == null ? "NULL" : "X'" + name + "'"));
        Map<String, String> shown = new LinkedHashMap<>();
        shown.put("id", "1");
        shown.put("code", "de");
        shown.put("name", name);
        return new RowValues(exact, literals, shown);
    }

    @Test
    void candidatesAreKeysMissingOnOneSideOrWithAnotherHash() {
        Map<String, RowHashes.Entry> a = new LinkedHashMap<>();
        Map<String, RowHashes.Entry> a0 = new LinkedHashMap<>();
        a.put("1", entry("1", "h1"));
        a0.put("1", entry("1", "h1"));
        a.put("2", entry("2", "h2"));
        a0.put("2", entry("2", "other"));
        a.put("3", entry("3", "h3"));
        a0.put("4", entry("4", "h4"));
        assertThat(RowNarrower.candidates(a, a0)).containsOnlyKeys("2", "3", "4");
    }

    @Test
    void aRowOnOneSideIsClassifiedWithStatementsForBothDirections() {
        RowDifference d = RowNarrower.classify(SHAPE, entry("1,6465", "h"), row("6162"), null);
        assertThat(d.kind()).isEqualTo(DifferenceKind.ONLY_ON_A);
        assertThat(d.repairOnA0()).isEqualTo("REPLACE INTO `app`.`t` (`id`, `code`, `name`) VALUES (1, X'6465', X'6162')");
        // A text key is matched byte for byte, not under its case-insensitive collation.
        assertThat(d.repairOnA()).isEqualTo("DELETE FROM `app`.`t` WHERE `id` = 1 AND `code` = X'6465' AND BINARY `code` = X'6465'");
    }

    @Test
    void differingColumnsAreNamedAndNullDiffersFromEmpty() {
        RowDifference d = RowNarrower.classify(SHAPE, entry("1,6465", "h"), row(null), row(""));
        assertThat(d.kind()).isEqualTo(DifferenceKind.COLUMNS_DIFFER);
        assertThat(d.columns()).containsExactly("name");
        assertThat(d.repairOnA0()).startsWith("UPDATE `app`.`t` SET `name` = NULL WHERE `id` = 1");
        assertThat(RowNarrower.classify(SHAPE, entry("1,6465", "h"), row("61"), row("61"))).isNull();
    }
}
