package dev.mitosis.verifier;

import dev.mitosis.connectors.time.Sleeper;

import dev.mitosis.connectors.config.Password;
import dev.mitosis.connectors.shard.ServerRole;
import dev.mitosis.connectors.topology.Credentials;
import dev.mitosis.connectors.topology.HostPort;
import dev.mitosis.connectors.topology.Pair;
import dev.mitosis.connectors.topology.PasswordSource;
import dev.mitosis.connectors.topology.Server;
import dev.mitosis.testkit.DualMasterPair;
import dev.mitosis.testkit.MariaDbServer;

import java.time.Clock;
import java.util.List;

/** The topology view of a testkit pair, and the sample table the verifier ITs use. */
final class PairFixture {

    static final String ACCOUNTS_DDL = """
            CREATE TABLE app.accounts (
              id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
              uid BIGINT NOT NULL,
              email VARCHAR(191) NULL,
              display_name VARCHAR(100) NULL,
              balance DECIMAL(20,6) NULL,
              score DOUBLE NULL,
              ratio FLOAT NULL,
              status ENUM('active','suspended','closed') NOT NULL DEFAULT 'active',
              verified BOOLEAN NOT NULL DEFAULT FALSE,
              birth_date DATE NULL,
              created_at DATETIME(6) NOT NULL,
              updated_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
              token VARBINARY(32) NULL,
              avatar BLOB NULL,
              prefs JSON NULL,
              UNIQUE KEY uk_uid (uid)
            ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci""";

    private PairFixture() {
    }

    static Pair pairOf(DualMasterPair pair) {
        return new Pair(0, server(pair.a(), ServerRole.A), server(pair.a0(), ServerRole.A0));
    }

    private static Server server(MariaDbServer s, ServerRole role) {
        return new Server(s.name(), new HostPort(s.host(), s.port()), 0, role,
                new Credentials(MariaDbServer.ADMIN_USER, new Password(s.adminPassword()), new PasswordSource.Env("UNUSED")));
    }

    /** {@code n} rows through A, with every column filled (some NULLs). */
    static String insertAccounts(int firstUid, int n) {
        StringBuilder sql = new StringBuilder("INSERT INTO app.accounts (uid, email, display_name, balance, score,"
                + " ratio, status, verified, birth_date, created_at, updated_at, token, avatar, prefs) VALUES ");
        for (int i = 0; i < n; i++) {
            int uid = firstUid + i;
            sql.append(i == 0 ? "" : ", ").append("(").append(uid).append(", 'user").append(uid).append("@example.com', ")
                    .append(uid % 7 == 0 ? "NULL" : "'Ünïcode näme " + uid + "'").append(", ")
                    .append(uid).append(".123456, ").append(uid).append(".1 / 3, ").append(uid).append(" / 7.0, ")
                    .append("'").append(uid % 3 == 0 ? "suspended" : "active").append("', ").append(uid % 2).append(", ")
                    .append("'1990-01-").append(1 + uid % 28).append("', '2024-05-06 07:08:09.").append(100000 + uid % 900000)
                    .append("', '2024-05-06 07:08:09.").append(100 + uid % 900).append("', UNHEX(SHA1(").append(uid)
                    .append(")), ").append(uid % 5 == 0 ? "NULL" : "REPEAT(UNHEX('00FF'), " + (1 + uid % 50) + ")")
                    .append(", '{\"n\": ").append(uid).append("}')");
        }
        return sql.toString();
    }

    static PairVerifier verifier(DualMasterPair pair, VerifySettings settings) {
        return verifier(pair, settings, Sleeper.SYSTEM);
    }

    static PairVerifier verifier(DualMasterPair pair, VerifySettings settings, Sleeper sleeper) {
        return new PairVerifier(pairOf(pair), List.of("app"), settings, Clock.systemUTC(), sleeper);
    }
}
