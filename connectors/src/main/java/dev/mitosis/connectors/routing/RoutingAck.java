package dev.mitosis.connectors.routing;

/**
 * A client's word that it routes by {@code epoch} from {@code appliedAt} on.
 *
 * @param clientId  the router's client id, unique per service instance
 * @param epoch     the shard-map epoch it applied
 * @param appliedAt ISO-8601 instant at which it began routing by that epoch
 * @param host      the host it runs on, for operators
 * @param seenAt    ISO-8601 instant of this acknowledgement; a live client repeats it every few seconds, so
 *                  operators can tell clients that are gone from clients that lag
 */
public record RoutingAck(String clientId, long epoch, String appliedAt, String host, String seenAt) {
}
