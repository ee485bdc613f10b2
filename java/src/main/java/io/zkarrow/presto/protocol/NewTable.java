package io.zkarrow.presto.protocol;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * A table planned by {@code plan_new_table} (CREATE TABLE AS) and not published yet: handed back as
 * it came in {@code publish_table} or {@code abort_new_table}. Its writers' files start with {@code
 * query_id}.
 */
public record NewTable(
        @JsonProperty("schema") String schema,
        @JsonProperty("table") String table,
        @JsonProperty("id") String id,
        @JsonProperty("location") String location,
        @JsonProperty("metadata_location") String metadataLocation,
        @JsonProperty("external") Boolean external,
        @JsonProperty("columns") List<Column> columns,
        @JsonProperty("properties") Map<String, String> properties,
        @JsonProperty("query_id") String queryId) {
    public NewTable {
        requireNonNull(schema, "schema is null");
        requireNonNull(table, "table is null");
        requireNonNull(columns, "columns is null");
    }
}
