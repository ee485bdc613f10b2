package io.zkarrow.presto.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A Presto node as registered under {@code <root>/nodes} ({@code NativeCatalog.open}'s {@code
 * node}, the {@code nodes} op).
 */
public record NodeInfo(
        @JsonProperty("node_id") String nodeId,
        @JsonProperty("host") String host,
        @JsonProperty("http_address") String httpAddress,
        @JsonProperty("presto_version") String prestoVersion,
        @JsonProperty("zkarrow_version") String zkarrowVersion,
        @JsonProperty("started_at_ms") Long startedAtMs,
        @JsonProperty("coordinator") Boolean coordinator) {}
