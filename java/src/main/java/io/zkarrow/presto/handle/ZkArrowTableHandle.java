package io.zkarrow.presto.handle;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorTableHandle;
import com.facebook.presto.spi.SchemaTableName;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.List;

public final class ZkArrowTableHandle extends ValueHandle implements ConnectorTableHandle {
    private final String schema;
    private final String table;
    private final Long snapshotId;
    private final String tableId;

    @JsonCreator
    public ZkArrowTableHandle(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("snapshotId") Long snapshotId,
            @JsonProperty("tableId") String tableId) {
        this.schema = requireNonNull(schema, "schema is null");
        this.table = requireNonNull(table, "table is null");
        this.snapshotId = snapshotId;
        this.tableId = tableId;
    }

    @JsonProperty
    public String getSchema() {
        return schema;
    }

    @JsonProperty
    public String getTable() {
        return table;
    }

    /** The snapshot the table was at when the query resolved it; null for a table without one. */
    @JsonProperty
    public Long getSnapshotId() {
        return snapshotId;
    }

    /** The id of the table the query resolved (a table re-created under the name has another). */
    @JsonProperty
    public String getTableId() {
        return tableId;
    }

    public SchemaTableName toSchemaTableName() {
        return new SchemaTableName(schema, table);
    }

    @Override
    List<Object> identity() {
        return Arrays.asList(schema, table, snapshotId, tableId);
    }

    @Override
    public String toString() {
        return schema + "." + table + (snapshotId == null ? "" : "@" + snapshotId);
    }
}
