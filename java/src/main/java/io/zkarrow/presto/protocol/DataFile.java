package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * One Arrow IPC data file of a snapshot: what {@code NativeWriter.finish} returns a JSON array of,
 * what the coordinator commits ({@code commit}, {@code publish_table}) and what {@code files}
 * lists. {@code columns}: statistics by column name in the file; {@code batch_columns}: those of
 * each record batch (absent for a file of one batch).
 */
public record DataFile(
        @JsonProperty("path") String path,
        @JsonProperty("rows") long rows,
        @JsonProperty("bytes") long bytes,
        @JsonProperty("batch_rows") List<Long> batchRows,
        @JsonProperty("batch_bytes") List<Long> batchBytes,
        @JsonProperty("columns") Map<String, ColumnStats> columns,
        @JsonProperty("batch_columns") Map<String, BatchStats> batchColumns) {
    public DataFile {
        requireNonNull(path, "path is null");
    }
}
