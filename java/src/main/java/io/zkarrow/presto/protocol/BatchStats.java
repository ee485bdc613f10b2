package io.zkarrow.presto.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * Statistics of one column in each record batch of a {@link DataFile}, in batch order, one array
 * per field: {@code nulls} (absent when no batch holds a NULL), {@code min} / {@code max} (a bound
 * per batch, {@code null} when unknown; absent when no batch has one). The plugin only carries them
 * from the writer to the commit; split planning reads them.
 */
public record BatchStats(
        @JsonProperty("nulls") List<Long> nulls,
        @JsonProperty("min") List<Object> min,
        @JsonProperty("max") List<Object> max) {}
