package dev.mitosis.ops.sandbox;

import java.util.List;

/**
 * The sandbox's schema {@code app}: {@code accounts}, sharded by {@code uid}, with every common column type (so
 * a verifier or purger bug in one type's encoding shows), and {@code countries}, a broadcast lookup table present
 * in full on every shard.
 */
public final class SampleSchema {

    public static final String SCHEMA = "app";
    public static final String SHARDED_TABLE = "accounts";
    public static final String BROADCAST_TABLE = "countries";
    public static final String SHARD_KEY = "uid";

    static final List<String> DDL = List.of(
            "CREATE DATABASE IF NOT EXISTS `app` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
            """
            CREATE TABLE `app`.`countries` (
              `code` CHAR(2) CHARACTER SET ascii NOT NULL PRIMARY KEY,
              `name` VARCHAR(100) NOT NULL,
              `currency` CHAR(3) CHARACTER SET ascii NOT NULL,
              `updated_at` DATETIME(6) NOT NULL
            ) ENGINE=InnoDB""",
            """
            CREATE TABLE `app`.`accounts` (
              `id` BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
              `uid` BIGINT NOT NULL,
              `email` VARCHAR(191) NULL,
              `display_name` VARCHAR(100) NULL,
              `bio` TEXT NULL,
              `balance` DECIMAL(20,6) NULL,
              `score` DOUBLE NULL,
              `ratio` FLOAT NULL,
              `status` ENUM('active','suspended','closed') NOT NULL DEFAULT 'active',
              `verified` BOOLEAN NOT NULL DEFAULT FALSE,
              `country` CHAR(2) CHARACTER SET ascii NULL,
              `birth_date` DATE NULL,
              `created_at` DATETIME(6) NOT NULL,
              `updated_at` TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
              `token` VARBINARY(32) NULL,
              `avatar` BLOB NULL,
              `prefs` JSON NULL,
              UNIQUE KEY `uk_uid` (`uid`),
              KEY `idx_country` (`country`)
            ) ENGINE=InnoDB""");

    static final String INSERT_ACCOUNT_COLUMNS = "(`uid`, `email`, `display_name`, `bio`, `balance`, `score`, `ratio`,"
            + " `status`, `verified`, `country`, `birth_date`, `created_at`, `updated_at`, `token`, `avatar`, `prefs`)";
    static final int ACCOUNT_PARAMS = 16;

    static final String INSERT_COUNTRY = "INSERT INTO `app`.`countries` (`code`, `name`, `currency`, `updated_at`)"
            + " VALUES (?, ?, ?, ?)";

    static final List<String[]> COUNTRIES = List.of(
            new String[] {"DE", "Deutschland", "EUR"},
            new String[] {"FR", "France", "EUR"},
            new String[] {"JP", "日本", "JPY"},
            new String[] {"BR", "Brasil", "BRL"},
            new String[] {"IS", "Ísland", "ISK"},
            new String[] {"US", "United States", "USD"},
            new String[] {"IN", "भारत", "INR"},
            new String[] {"CH", "Schweiz/Suisse", "CHF"});

    private SampleSchema() {
    }
}
