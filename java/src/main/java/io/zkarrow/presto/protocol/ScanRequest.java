package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * The scan of one split ({@code NativeReader.open}): record batches [batch_start, batch_end) of
 * {@code path}, the requested columns in order. A column is found by id in files zkarrow wrote,
 * else by {@code file_name} (or name); a column a file lacks reads as NULL. {@code debug_panic}
 * makes the first page panic (the test of the panic guard).
 */
public record ScanRequest(
        @JsonProperty("path") String path,
        @JsonProperty("batch_start") int batchStart,
        @JsonProperty("batch_end") int batchEnd,
        @JsonProperty("columns") List<Column> columns,
        @JsonProperty("debug_panic") boolean debugPanic) {
    public ScanRequest {
        requireNonNull(path, "path is null");
        requireNonNull(columns, "columns is null");
    }
}
