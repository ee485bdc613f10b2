package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A split of {@code plan_splits}: record batches [batch_start, batch_end) of one file, and the node
 * ({@code host:port}) rendezvous hashing prefers for the file, if any.
 */
public record Split(
        @JsonProperty("path") String path,
        @JsonProperty("batch_start") int batchStart,
        @JsonProperty("batch_end") int batchEnd,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("rows") long rows,
        @JsonProperty("preferred_node") String preferredNode) {
    public Split {
        requireNonNull(path, "path is null");
    }
}
