package dev.mitosis.connectors.routing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * A connection pool (HikariCP) per shard endpoint, for services that route through a {@link ShardRouter} and want
 * a {@link DataSource} for the route they got. Pools are opened on first use and shared by every shard on the
 * same endpoint; closing this closes them all.
 */
public final class ShardDataSources implements AutoCloseable {

    private final String user;
    private final String password;
    private final String database;
    private final int poolSize;
    private final Map<String, HikariDataSource> byAddress = new ConcurrentHashMap<>();

    /**
     * @param database the schema each connection starts in (may be empty)
     * @param poolSize connections per endpoint, at least 1
     */
    public ShardDataSources(String user, String password, String database, int poolSize) {
        if (poolSize < 1) {
            throw new IllegalArgumentException("pool size " + poolSize + " is out of range, expected >= 1");
        }
        this.user = user;
        this.password = password;
        this.database = database;
        this.poolSize = poolSize;
    }

    /** The pool of the endpoint a route points at. */
    public DataSource of(Route route) {
        return of(route.endpoint());
    }

    public DataSource of(ShardEndpoint endpoint) {
        return byAddress.computeIfAbsent(endpoint.address(), address -> open(endpoint));
    }

    @Override
    public void close() {
        byAddress.values().forEach(HikariDataSource::close);
        byAddress.clear();
    }

    private HikariDataSource open(ShardEndpoint endpoint) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("mitosis-shard-" + endpoint.server());
        config.setJdbcUrl("jdbc:mariadb://" + endpoint.address() + "/" + database);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(5_000);
        return new HikariDataSource(config);
    }
}
