package io.zkarrow.presto.metadata;

import static com.facebook.presto.spi.StandardErrorCode.NOT_SUPPORTED;

import static io.zkarrow.presto.ZkArrowErrorCode.SCHEMA_NOT_FOUND;
import static io.zkarrow.presto.ZkArrowErrorCode.TABLE_NOT_FOUND;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.spi.ColumnHandle;
import com.facebook.presto.spi.ColumnMetadata;
import com.facebook.presto.spi.ConnectorDeleteTableHandle;
import com.facebook.presto.spi.ConnectorInsertTableHandle;
import com.facebook.presto.spi.ConnectorNewTableLayout;
import com.facebook.presto.spi.ConnectorOutputTableHandle;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorTableHandle;
import com.facebook.presto.spi.ConnectorTableLayout;
import com.facebook.presto.spi.ConnectorTableLayoutHandle;
import com.facebook.presto.spi.ConnectorTableLayoutResult;
import com.facebook.presto.spi.ConnectorTableMetadata;
import com.facebook.presto.spi.Constraint;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.spi.SchemaTableName;
import com.facebook.presto.spi.SchemaTablePrefix;
import com.facebook.presto.spi.TableNotFoundException;
import com.facebook.presto.spi.connector.ConnectorMetadata;
import com.facebook.presto.spi.connector.ConnectorOutputMetadata;
import com.facebook.presto.spi.connector.ConnectorTableVersion;
import com.facebook.presto.spi.statistics.ColumnStatistics;
import com.facebook.presto.spi.statistics.ComputedStatistics;
import com.facebook.presto.spi.statistics.DoubleRange;
import com.facebook.presto.spi.statistics.Estimate;
import com.facebook.presto.spi.statistics.TableStatistics;

import io.airlift.slice.Slice;
import io.zkarrow.presto.ZkArrowErrorCode;
import io.zkarrow.presto.handle.ZkArrowColumnHandle;
import io.zkarrow.presto.handle.ZkArrowTableHandle;
import io.zkarrow.presto.handle.ZkArrowTableLayoutHandle;
import io.zkarrow.presto.handle.ZkArrowWriteHandle;
import io.zkarrow.presto.protocol.PrestoDomains;
import io.zkarrow.presto.protocol.Response;
import io.zkarrow.presto.protocol.ZkArrowClient;
import io.zkarrow.presto.system.ZkArrowSystemTables;
import io.zkarrow.presto.write.ZkArrowWrites;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Metadata of one transaction. Presto asks for it once per transaction, so table records read here
 * are cached for the transaction's life (one query in auto-commit mode).
 */
public final class ZkArrowMetadata implements ConnectorMetadata {
    private final ZkArrowClient client;
    private final ZkArrowWrites writes;
    private final ZkArrowSystemTables systemTables;
    private final Map<SchemaTableName, Optional<ZkArrowClient.TableInfo>> tables =
            new ConcurrentHashMap<>();
    // CREATE TABLE AS begun in this transaction and not published yet: cleaned up on rollback
    private final Map<String, ZkArrowWriteHandle> pendingNewTables = new ConcurrentHashMap<>();
    private final Map<String, ZkArrowWriteHandle> pendingInserts = new ConcurrentHashMap<>();

    public ZkArrowMetadata(
            ZkArrowClient client, ZkArrowWrites writes, ZkArrowSystemTables systemTables) {
        this.client = requireNonNull(client, "client is null");
        this.writes = requireNonNull(writes, "writes is null");
        this.systemTables = requireNonNull(systemTables, "systemTables is null");
    }

    @Override
    public List<String> listSchemaNames(ConnectorSession session) {
        return client.listSchemas();
    }

    @Override
    public void createSchema(
            ConnectorSession session, String schemaName, Map<String, Object> properties) {
        tables.clear();
        client.createSchema(schemaName);
    }

    @Override
    public void dropSchema(ConnectorSession session, String schemaName) {
        tables.clear();
        client.dropSchema(schemaName);
    }

    @Override
    public List<SchemaTableName> listTables(ConnectorSession session, Optional<String> schemaName) {
        try {
            return client.listTables(schemaName);
        } catch (PrestoException e) {
            if (isNotFound(e)) {
                return new ArrayList<>();
            }
            throw e;
        }
    }

    @Override
    public List<SchemaTableName> listTables(ConnectorSession session, String schemaNameOrNull) {
        return listTables(session, Optional.ofNullable(schemaNameOrNull));
    }

    @Override
    public ConnectorTableHandle getTableHandle(
            ConnectorSession session, SchemaTableName tableName) {
        return table(tableName).map(ZkArrowClient.TableInfo::toHandle).orElse(null);
    }

    @Override
    public ConnectorTableLayoutResult getTableLayoutForConstraint(
            ConnectorSession session,
            ConnectorTableHandle table,
            Constraint<ColumnHandle> constraint,
            Optional<Set<ColumnHandle>> desiredColumns) {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) table;
        // the projected columns in table order, so that the request does not depend on a set's
        // order; none for a scan that reads no column (count(*))
        List<Long> columnIds = new ArrayList<>();
        for (ZkArrowColumnHandle column : tableInfo(handle).getColumns()) {
            if (!desiredColumns.isPresent() || desiredColumns.get().contains(column)) {
                columnIds.add(column.getId());
            }
        }
        ConnectorTableLayout layout =
                new ConnectorTableLayout(
                        new ZkArrowTableLayoutHandle(
                                handle,
                                columnIds,
                                PrestoDomains.toColumnDomains(constraint.getSummary())));
        // file skipping is no filter: Presto still filters every row
        return new ConnectorTableLayoutResult(layout, constraint.getSummary());
    }

    @Override
    public ConnectorTableLayout getTableLayout(
            ConnectorSession session, ConnectorTableLayoutHandle handle) {
        return new ConnectorTableLayout(handle);
    }

    @Override
    public ConnectorTableMetadata getTableMetadata(
            ConnectorSession session, ConnectorTableHandle table) {
        ZkArrowClient.TableInfo info = tableInfo((ZkArrowTableHandle) table);
        return new ConnectorTableMetadata(info.getName(), columnMetadata(info));
    }

    @Override
    public Map<String, ColumnHandle> getColumnHandles(
            ConnectorSession session, ConnectorTableHandle tableHandle) {
        Map<String, ColumnHandle> handles = new LinkedHashMap<>();
        for (ZkArrowColumnHandle column :
                tableInfo((ZkArrowTableHandle) tableHandle).getColumns()) {
            // Presto names columns in lower case (ColumnMetadata does the same)
            handles.put(column.getName().toLowerCase(Locale.ENGLISH), column);
        }
        return handles;
    }

    @Override
    public ColumnMetadata getColumnMetadata(
            ConnectorSession session, ConnectorTableHandle tableHandle, ColumnHandle columnHandle) {
        return ((ZkArrowColumnHandle) columnHandle).toColumnMetadata();
    }

    @Override
    public Map<SchemaTableName, List<ColumnMetadata>> listTableColumns(
            ConnectorSession session, SchemaTablePrefix prefix) {
        Map<SchemaTableName, List<ColumnMetadata>> columns = new LinkedHashMap<>();
        if (prefix.getTableName() != null && prefix.getSchemaName() != null) {
            SchemaTableName name =
                    new SchemaTableName(prefix.getSchemaName(), prefix.getTableName());
            table(name).ifPresent(info -> columns.put(name, columnMetadata(info)));
            return columns;
        }
        // one native call for the whole schema (or catalog), not one per table
        List<ZkArrowClient.TableInfo> described;
        try {
            described = client.describeTables(Optional.ofNullable(prefix.getSchemaName()));
        } catch (PrestoException e) {
            if (isNotFound(e)) {
                return columns;
            }
            throw e;
        }
        for (ZkArrowClient.TableInfo info : described) {
            // a table this transaction has looked up already stays as it saw it
            tables.computeIfAbsent(info.getName(), name -> Optional.of(info))
                    .ifPresent(seen -> columns.put(seen.getName(), columnMetadata(seen)));
        }
        return columns;
    }

    @Override
    public TableStatistics getTableStatistics(
            ConnectorSession session,
            ConnectorTableHandle tableHandle,
            Optional<ConnectorTableLayoutHandle> tableLayoutHandle,
            List<ColumnHandle> columnHandles,
            Constraint<ColumnHandle> constraint) {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) tableHandle;
        if (handle.getSnapshotId() == null) {
            return TableStatistics.empty();
        }
        Response.TableStatistics answer =
                client.tableStatistics(
                        handle.getSchema(), handle.getTable(), handle.getSnapshotId());
        Map<Long, Response.ColumnStatistics> byId = new HashMap<>();
        for (Response.ColumnStatistics column : answer.columns()) {
            byId.put(column.columnId(), column);
        }
        TableStatistics.Builder statistics =
                TableStatistics.builder().setRowCount(Estimate.of(answer.rowCount()));
        for (ColumnHandle columnHandle : columnHandles) {
            Response.ColumnStatistics column =
                    byId.get(((ZkArrowColumnHandle) columnHandle).getId());
            if (column != null) {
                statistics.setColumnStatistics(columnHandle, columnStatistics(column));
            }
        }
        return statistics.build();
    }

    private static ColumnStatistics columnStatistics(Response.ColumnStatistics column) {
        ColumnStatistics.Builder builder =
                ColumnStatistics.builder()
                        .setNullsFraction(Estimate.of(column.nullFraction()))
                        .setDistinctValuesCount(estimate(column.distinctCount()))
                        .setDataSize(estimate(column.dataSize()));
        if (column.low() != null && column.high() != null) {
            builder.setRange(new DoubleRange(column.low(), column.high()));
        }
        return builder.build();
    }

    private static Estimate estimate(Long value) {
        return value == null ? Estimate.unknown() : Estimate.of(value);
    }

    /**
     * {@code "<table>$snapshots"}, {@code "<table>$files"} and {@code "<table>$orphan_files"} (see
     * {@link ZkArrowSystemTables}).
     */
    @Override
    public Optional<com.facebook.presto.spi.SystemTable> getSystemTable(
            ConnectorSession session, SchemaTableName tableName) {
        return systemTables.getTableSystemTable(tableName);
    }

    // ---------------------------------------------------------------- time travel

    /**
     * {@code FOR VERSION AS OF <snapshot id>}, {@code FOR TIMESTAMP AS OF <timestamp>} (and
     * BEFORE).
     */
    @Override
    public ConnectorTableHandle getTableHandle(
            ConnectorSession session,
            SchemaTableName tableName,
            Optional<ConnectorTableVersion> tableVersion) {
        ConnectorTableHandle current = getTableHandle(session, tableName);
        if (current == null || !tableVersion.isPresent()) {
            return current;
        }
        long snapshotId = writes.resolveVersion(tableName, tableVersion.get());
        return new ZkArrowTableHandle(
                tableName.getSchemaName(),
                tableName.getTableName(),
                snapshotId,
                ((ZkArrowTableHandle) current).getTableId());
    }

    // ---------------------------------------------------------------- DDL

    @Override
    public void createTable(
            ConnectorSession session,
            ConnectorTableMetadata tableMetadata,
            boolean ignoreExisting) {
        tables.remove(tableMetadata.getTable());
        try {
            writes.createTable(tableMetadata);
        } catch (PrestoException e) {
            if (ignoreExisting
                    && e.getErrorCode().equals(ZkArrowErrorCode.TABLE_EXISTS.toErrorCode())) {
                return;
            }
            throw e;
        }
    }

    @Override
    public void dropTable(ConnectorSession session, ConnectorTableHandle tableHandle) {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) tableHandle;
        tables.remove(handle.toSchemaTableName());
        client.dropTable(handle.getSchema(), handle.getTable(), session.getQueryId());
    }

    @Override
    public void renameTable(
            ConnectorSession session,
            ConnectorTableHandle tableHandle,
            SchemaTableName newTableName) {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) tableHandle;
        tables.remove(handle.toSchemaTableName());
        tables.remove(newTableName);
        client.renameTable(
                handle.getSchema(),
                handle.getTable(),
                newTableName.getSchemaName(),
                newTableName.getTableName(),
                session.getQueryId());
    }

    /**
     * ALTER TABLE ... ADD COLUMN: a metadata change (add_column) under the table lock. Files
     * written before it read the new column as NULL; ids of dropped columns are never reused.
     */
    @Override
    public void addColumn(
            ConnectorSession session, ConnectorTableHandle tableHandle, ColumnMetadata column) {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) tableHandle;
        tables.remove(handle.toSchemaTableName());
        try {
            client.addColumn(
                    handle.getSchema(),
                    handle.getTable(),
                    column.getName(),
                    column.getType().getTypeSignature().toString(),
                    session.getQueryId());
        } finally {
            tables.remove(handle.toSchemaTableName());
        }
    }

    /** ALTER TABLE ... RENAME COLUMN (rename_column): the column keeps its id, so its data. */
    @Override
    public void renameColumn(
            ConnectorSession session,
            ConnectorTableHandle tableHandle,
            ColumnHandle source,
            String target) {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) tableHandle;
        tables.remove(handle.toSchemaTableName());
        try {
            client.renameColumn(
                    handle.getSchema(),
                    handle.getTable(),
                    ((ZkArrowColumnHandle) source).getName(),
                    target,
                    session.getQueryId());
        } finally {
            tables.remove(handle.toSchemaTableName());
        }
    }

    /**
     * ALTER TABLE ... DROP COLUMN (drop_column): the data stays in the files but is never read
     * again.
     */
    @Override
    public void dropColumn(
            ConnectorSession session, ConnectorTableHandle tableHandle, ColumnHandle column) {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) tableHandle;
        tables.remove(handle.toSchemaTableName());
        try {
            client.dropColumn(
                    handle.getSchema(),
                    handle.getTable(),
                    ((ZkArrowColumnHandle) column).getName(),
                    session.getQueryId());
        } finally {
            tables.remove(handle.toSchemaTableName());
        }
    }

    // ---------------------------------------------------------------- CREATE TABLE AS, INSERT

    @Override
    public ConnectorOutputTableHandle beginCreateTable(
            ConnectorSession session,
            ConnectorTableMetadata tableMetadata,
            Optional<ConnectorNewTableLayout> layout) {
        ZkArrowWriteHandle handle = writes.beginCreateTable(session, tableMetadata);
        pendingNewTables.put(handle.getNewTableJson(), handle);
        return handle;
    }

    @Override
    public Optional<ConnectorOutputMetadata> finishCreateTable(
            ConnectorSession session,
            ConnectorOutputTableHandle tableHandle,
            Collection<Slice> fragments,
            Collection<ComputedStatistics> computedStatistics) {
        ZkArrowWriteHandle handle = (ZkArrowWriteHandle) tableHandle;
        writes.finishCreateTable(handle, fragments);
        pendingNewTables.remove(handle.getNewTableJson());
        tables.remove(new SchemaTableName(handle.getSchema(), handle.getTable()));
        return Optional.empty();
    }

    /** The transaction failed: unpublished CREATE TABLE AS leave nothing behind. */
    public void rollback() {
        for (ZkArrowWriteHandle handle : pendingNewTables.values()) {
            writes.abortCreateTable(handle);
        }
        pendingNewTables.clear();
        for (ZkArrowWriteHandle handle : pendingInserts.values()) {
            writes.abortInsert(handle);
        }
        pendingInserts.clear();
    }

    @Override
    public ConnectorInsertTableHandle beginInsert(
            ConnectorSession session, ConnectorTableHandle tableHandle) {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) tableHandle;
        ZkArrowWriteHandle insert =
                writes.beginInsert(session, handle, tableInfo(handle).getColumns());
        pendingInserts.put(session.getQueryId() + "/" + insert.getTableId(), insert);
        return insert;
    }

    @Override
    public Optional<ConnectorOutputMetadata> finishInsert(
            ConnectorSession session,
            ConnectorInsertTableHandle insertHandle,
            Collection<Slice> fragments,
            Collection<ComputedStatistics> computedStatistics) {
        ZkArrowWriteHandle handle = (ZkArrowWriteHandle) insertHandle;
        pendingInserts.remove(session.getQueryId() + "/" + handle.getTableId());
        writes.finishInsert(session, handle, fragments);
        tables.remove(new SchemaTableName(handle.getSchema(), handle.getTable()));
        return Optional.empty();
    }

    // ---------------------------------------------------------------- TRUNCATE, DELETE

    @Override
    public void truncateTable(ConnectorSession session, ConnectorTableHandle tableHandle) {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) tableHandle;
        writes.deleteAll(session, handle, OptionalLong.empty());
        tables.remove(handle.toSchemaTableName());
    }

    /** DELETE needs no row ids: only a DELETE without predicate runs, as a metadata delete. */
    @Override
    public Optional<ColumnHandle> getDeleteRowIdColumn(
            ConnectorSession session, ConnectorTableHandle tableHandle) {
        return Optional.empty();
    }

    @Override
    public boolean supportsMetadataDelete(
            ConnectorSession session,
            ConnectorTableHandle tableHandle,
            Optional<ConnectorTableLayoutHandle> tableLayoutHandle) {
        return true;
    }

    @Override
    public OptionalLong metadataDelete(
            ConnectorSession session,
            ConnectorTableHandle tableHandle,
            ConnectorTableLayoutHandle tableLayoutHandle) {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) tableHandle;
        OptionalLong rows =
                table(handle.toSchemaTableName())
                        .map(ZkArrowClient.TableInfo::getRowCount)
                        .orElse(OptionalLong.empty());
        OptionalLong deleted = writes.deleteAll(session, handle, rows);
        tables.remove(handle.toSchemaTableName());
        return deleted;
    }

    /** A DELETE that must look at rows (one with a WHERE clause) gets here: refused. */
    @Override
    public ConnectorDeleteTableHandle beginDelete(
            ConnectorSession session, ConnectorTableHandle tableHandle) {
        throw new PrestoException(
                NOT_SUPPORTED,
                "zkarrow supports DELETE only without a WHERE clause (it deletes every row, like"
                        + " TRUNCATE TABLE); DELETE with a predicate is not supported yet");
    }

    private static List<ColumnMetadata> columnMetadata(ZkArrowClient.TableInfo info) {
        List<ColumnMetadata> columns = new ArrayList<>();
        for (ZkArrowColumnHandle column : info.getColumns()) {
            columns.add(column.toColumnMetadata());
        }
        return columns;
    }

    private ZkArrowClient.TableInfo tableInfo(ZkArrowTableHandle handle) {
        return table(handle.toSchemaTableName())
                .orElseThrow(() -> new TableNotFoundException(handle.toSchemaTableName()));
    }

    private Optional<ZkArrowClient.TableInfo> table(SchemaTableName name) {
        Optional<ZkArrowClient.TableInfo> cached = tables.get(name);
        if (cached != null) {
            return cached;
        }
        Optional<ZkArrowClient.TableInfo> info;
        try {
            info = client.getTable(name.getSchemaName(), name.getTableName());
        } catch (PrestoException e) {
            if (!isNotFound(e)) {
                throw e;
            }
            info = Optional.empty();
        }
        tables.put(name, info);
        return info;
    }

    private static boolean isNotFound(PrestoException e) {
        return e.getErrorCode().equals(SCHEMA_NOT_FOUND.toErrorCode())
                || e.getErrorCode().equals(TABLE_NOT_FOUND.toErrorCode());
    }
}
