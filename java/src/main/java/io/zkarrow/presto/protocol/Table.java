package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A table as the catalog describes it ({@code get_table} and every op that answers {@code {"table":
 * Table}}). {@code snapshot_id} is its current snapshot, {@code row_count} that snapshot's rows,
 * {@code data_dir} where its writers write, {@code external} whether it is registered (files it
 * does not own).
 */
public record Table(
        @JsonProperty("schema") String schema,
        @JsonProperty("table") String table,
        @JsonProperty("id") String id,
        @JsonProperty("snapshot_id") Long snapshotId,
        @JsonProperty("row_count") Long rowCount,
        @JsonProperty("columns") List<Column> columns,
        @JsonProperty("location") String location,
        @JsonProperty("data_dir") String dataDir,
        @JsonProperty("external") Boolean external,
        @JsonProperty("properties") Map<String, String> properties) {
    public Table {
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
        requireNonNull(columns, "columns is null");
    }
}
