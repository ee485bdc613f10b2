package io.zkarrow.presto.handle;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ConnectorInsertTableHandle;
import com.facebook.presto.spi.ConnectorOutputTableHandle;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Collections;
import java.util.List;

/**
 * The target of a write: CREATE TABLE AS (then {@code newTableJson} is plan_new_table's {@code
 * new_table}) or INSERT (then {@code baseSnapshotId} is the snapshot the statement started on).
 * Page sinks write Arrow files into {@code dataDir}; the coordinator commits them.
 */
public final class ZkArrowWriteHandle
        implements ConnectorOutputTableHandle, ConnectorInsertTableHandle {
    private final String schema;
    private final String table;
    private final List<ZkArrowColumnHandle> columns;
    private final String dataDir;
    private final String compression;
    private final Long baseSnapshotId;
    private final String newTableJson;
    private final String tableId;
    private final String queryId;

    @JsonCreator
    public ZkArrowWriteHandle(
            @JsonProperty("schema") String schema,
            @JsonProperty("table") String table,
            @JsonProperty("columns") List<ZkArrowColumnHandle> columns,
            @JsonProperty("dataDir") String dataDir,
            @JsonProperty("compression") String compression,
            @JsonProperty("baseSnapshotId") Long baseSnapshotId,
            @JsonProperty("newTableJson") String newTableJson,
            @JsonProperty("tableId") String tableId,
            @JsonProperty("queryId") String queryId) {
        this.schema = requireNonNull(schema, "schema is null");
        this.table = requireNonNull(table, "table is null");
        this.columns = Collections.unmodifiableList(requireNonNull(columns, "columns is null"));
        this.dataDir = requireNonNull(dataDir, "dataDir is null");
        this.compression = compression;
        this.baseSnapshotId = baseSnapshotId;
        this.newTableJson = newTableJson;
        this.tableId = tableId;
        this.queryId = queryId;
    }

    @JsonProperty
    public String getSchema() {
        return schema;
    }

    @JsonProperty
    public String getTable() {
        return table;
    }

    @JsonProperty
    public List<ZkArrowColumnHandle> getColumns() {
        return columns;
    }

    @JsonProperty
    public String getDataDir() {
        return dataDir;
    }

    /** none, lz4 or zstd; null lets the native writer use its default. */
    @JsonProperty
    public String getCompression() {
        return compression;
    }

    @JsonProperty
    public Long getBaseSnapshotId() {
        return baseSnapshotId;
    }

    /** CREATE TABLE AS only: the unpublished table (JSON), null for INSERT. */
    @JsonProperty
    public String getNewTableJson() {
        return newTableJson;
    }

    /**
     * INSERT only: the id of the table the statement started on (its commit must still find it).
     */
    @JsonProperty
    public String getTableId() {
        return tableId;
    }

    /** The query writing; its writers' files start with it. */
    @JsonProperty
    public String getQueryId() {
        return queryId;
    }

    @Override
    public String toString() {
        return schema
                + "."
                + table
                + (newTableJson != null
                        ? " (new)"
                        : " (insert on snapshot " + baseSnapshotId + ")");
    }
}
