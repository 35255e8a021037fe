package dev.mitosis.verifier.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RowEncodingTest {

    private static final Column ID = new Column("id", "bigint", "bigint(20) unsigned");
    private static final Column NAME = new Column("name", "varchar", "varchar(10)");
    private static final Column RATIO = new Column("ratio", "float", "float");

    @Test
    void everyTypeHasTheEncodingOfItsKind() {
        assertThat(new Column("a", "decimal", "decimal(20,6)").kind()).isEqualTo(Column.Kind.EXACT_NUMBER);
        assertThat(new Column("a", "double", "double").kind()).isEqualTo(Column.Kind.APPROXIMATE_NUMBER);
        assertThat(new Column("a", "timestamp", "timestamp(3)").kind()).isEqualTo(Column.Kind.TEMPORAL);
        assertThat(new Column("a", "json", "longtext").kind()).isEqualTo(Column.Kind.TEXT);
        assertThat(new Column("a", "enum", "enum('x')").kind()).isEqualTo(Column.Kind.TEXT);
        assertThat(new Column("a", "blob", "blob").kind()).isEqualTo(Column.Kind.BINARY);
        assertThat(new Column("a", "geometry", "geometry").kind()).isEqualTo(Column.Kind.BINARY);
        assertThat(new Column("a", "bit", "bit(3)").kind()).isEqualTo(Column.Kind.BIT);
    }

    @Test
    void stringsAreComparedAsHexBytesAndNullIsMarked() {
        assertThat(RowEncoding.columnText(NAME)).isEqualTo("CONCAT(LENGTH(`name`), ':', CAST(`name` AS BINARY))");
        assertThat(RowEncoding.rowText(List.of(ID, NAME))).isEqualTo("CONCAT_WS(',', IFNULL(CAST(`id` AS CHAR), 'N'),"
                + " IFNULL(CONCAT(LENGTH(`name`), ':', CAST(`name` AS BINARY)), 'N'))");
    }

    @Test
    void floatsAreWidenedToDoubleSoTheirTextKeepsEveryBit() {
        assertThat(RowEncoding.columnText(RATIO)).isEqualTo("CAST(CAST(`ratio` AS DOUBLE) AS CHAR)");
        assertThat(RowEncoding.columnText(new Column("score", "double", "double"))).isEqualTo("CAST(`score` AS CHAR)");
    }

    @Test
    void theChunkDigestIsANonLinearHashFoldedInTwo64BitHalves() {
        TableShape shape = new TableShape("app", "t", List.of(ID, NAME), List.of(ID));
        String sql = RowEncoding.chunkChecksumSql(shape, "1 = 1");
        assertThat(sql).contains("SHA1(").contains("SUBSTRING(@mitosis_row_hash := SHA1(").contains("SUBSTRING(@mitosis_row_hash, 17, 16)")
                .contains("BIT_XOR").contains("COUNT(*)").doesNotContain("CRC32").contains("FROM `app`.`t` WHERE 1 = 1");
    }

    @Test
    void theDigestBlobTypesEveryColumnSoItsValueConvertsWithoutLossAndEndsOnAFixedWidthEntry() {
        Column blob = new Column("avatar", "blob", "blob");
        Column bits = new Column("flags", "bit", "bit(3)");
        Column score = new Column("score", "double", "double");
        Column signed = new Column("n", "int", "int(11)");
        Column balance = new Column("balance", "decimal", "decimal(20,6)");
        Column at = new Column("at", "timestamp", "timestamp(3)");
        Column day = new Column("day", "date", "date");
        Column span = new Column("span", "time", "time(6)");
        Column status = new Column("status", "enum", "enum('a','b')", "utf8mb4_bin");
        assertThat(RowEncoding.digestRow(List.of(ID, NAME, blob, RATIO, score, bits))).isEqualTo(
                "COLUMN_CREATE(1, `id` AS UNSIGNED INTEGER, 2, `name` AS CHAR CHARACTER SET binary,"
                        + " 3, `avatar` AS CHAR CHARACTER SET binary, 4, `ratio` AS DOUBLE, 5, `score` AS DOUBLE,"
                        + " 6, `flags` AS UNSIGNED INTEGER, 65535, 0e0 AS DOUBLE)");
        assertThat(RowEncoding.digestRow(List.of(signed, balance, at, day, span, status))).isEqualTo(
                "COLUMN_CREATE(1, `n` AS INTEGER, 2, `balance` AS DECIMAL, 3, `at` AS DATETIME, 4, `day` AS DATE,"
                        + " 5, `span` AS TIME, 6, `status` AS CHAR CHARACTER SET binary, 65535, 0e0 AS DOUBLE)");
        assertThat(RowEncoding.rowHash(List.of(ID))).isEqualTo(
                "SHA1(COLUMN_CREATE(1, `id` AS UNSIGNED INTEGER, 65535, 0e0 AS DOUBLE))");
    }

    @Test
    void aNullabilityMismatchIsAnotherShape() {
        Column key = new Column("id", "bigint", "bigint(20)", null, false);
        Column name = new Column("name", "varchar", "varchar(10)", "utf8mb4_bin", false);
        TableShape notNull = new TableShape("app", "t", List.of(key, name), List.of(key));
        TableShape nullable = new TableShape("app", "t", List.of(key, new Column("name", "varchar", "varchar(10)",
                "utf8mb4_bin", true)), List.of(key));
        assertThat(notNull.sameShape(nullable)).isFalse();
        assertThat(notNull.sameShape(new TableShape("app", "t", List.of(key, name), List.of(key)))).isTrue();
    }

    @Test
    void theOrderedDigestHashesTheRowsInOrderOnce() {
        TableShape shape = new TableShape("app", "t", List.of(ID, NAME), List.of(ID));
        assertThat(RowEncoding.chunkOrderedDigestSql(shape, "1 = 1")).isEqualTo("SELECT COUNT(*), MD5(GROUP_CONCAT("
                + RowEncoding.digestRow(shape.columns()) + " SEPARATOR '')) FROM `app`.`t` WHERE 1 = 1");
    }
}
