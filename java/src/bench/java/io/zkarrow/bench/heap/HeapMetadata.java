package io.zkarrow.bench.heap;

import com.facebook.presto.spi.ColumnHandle;
import com.facebook.presto.spi.ColumnMetadata;
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
import com.facebook.presto.spi.SchemaTableName;
import com.facebook.presto.spi.SchemaTablePrefix;
import com.facebook.presto.spi.connector.ConnectorMetadata;
import com.facebook.presto.spi.connector.ConnectorOutputMetadata;
import com.facebook.presto.spi.statistics.ComputedStatistics;
import com.facebook.presto.spi.statistics.Estimate;
import com.facebook.presto.spi.statistics.TableStatistics;

import io.airlift.slice.Slice;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Schemas, tables and writes of the heap catalog, over its {@link HeapStore}. */
final class HeapMetadata implements ConnectorMetadata {
    private final HeapStore store;

    HeapMetadata(HeapStore store) {
        this.store = store;
    }

    @Override
    public List<String> listSchemaNames(ConnectorSession session) {
        return store.schemaNames();
    }

    @Override
    public void createSchema(
            ConnectorSession session, String schemaName, Map<String, Object> properties) {
        store.createSchema(schemaName);
    }

    @Override
    public ConnectorTableHandle getTableHandle(ConnectorSession session, SchemaTableName name) {
        return store.table(name).map(HeapMetadata::handle).orElse(null);
    }

    private static HeapTableHandle handle(HeapTable table) {
        return new HeapTableHandle(
                table.name().getSchemaName(), table.name().getTableName(), table.id());
    }

    /** The one layout of every table (what 0.296 asks for; getTableLayouts is deprecated). */
    @Override
    public ConnectorTableLayoutResult getTableLayoutForConstraint(
            ConnectorSession session,
            ConnectorTableHandle table,
            Constraint<ColumnHandle> constraint,
            Optional<Set<ColumnHandle>> desiredColumns) {
        ConnectorTableLayout layout =
                new ConnectorTableLayout(new HeapTableLayoutHandle((HeapTableHandle) table));
        // nothing is filtered here: the whole constraint is left to the engine
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
        HeapTable stored = store.table(((HeapTableHandle) table).getId());
        return new ConnectorTableMetadata(stored.name(), stored.columns());
    }

    @Override
    public List<SchemaTableName> listTables(ConnectorSession session, Optional<String> schema) {
        List<SchemaTableName> names = new ArrayList<>();
        for (HeapTable table : store.tables(schema)) {
            names.add(table.name());
        }
        return names;
    }

    @Override
    public Map<String, ColumnHandle> getColumnHandles(
            ConnectorSession session, ConnectorTableHandle table) {
        List<ColumnMetadata> columns = store.table(((HeapTableHandle) table).getId()).columns();
        Map<String, ColumnHandle> handles = new LinkedHashMap<>();
        for (int channel = 0; channel < columns.size(); channel++) {
            ColumnMetadata column = columns.get(channel);
            handles.put(
                    column.getName(),
                    new HeapColumnHandle(column.getName(), column.getType(), channel));
        }
        return handles;
    }

    @Override
    public ColumnMetadata getColumnMetadata(
            ConnectorSession session, ConnectorTableHandle table, ColumnHandle column) {
        return ((HeapColumnHandle) column).toColumnMetadata();
    }

    @Override
    public Map<SchemaTableName, List<ColumnMetadata>> listTableColumns(
            ConnectorSession session, SchemaTablePrefix prefix) {
        Map<SchemaTableName, List<ColumnMetadata>> columns = new LinkedHashMap<>();
        for (HeapTable table : store.tables(Optional.ofNullable(prefix.getSchemaName()))) {
            if (prefix.matches(table.name())) {
                columns.put(table.name(), table.columns());
            }
        }
        return columns;
    }

    /** The row count (the sum of the stored pages' positions), as zkarrow gives the planner. */
    @Override
    public TableStatistics getTableStatistics(
            ConnectorSession session,
            ConnectorTableHandle table,
            Optional<ConnectorTableLayoutHandle> layout,
            List<ColumnHandle> columns,
            Constraint<ColumnHandle> constraint) {
        HeapTable stored = store.table(((HeapTableHandle) table).getId());
        return TableStatistics.builder().setRowCount(Estimate.of(stored.rowCount())).build();
    }

    /** CREATE TABLE without AS: an empty table. */
    @Override
    public void createTable(
            ConnectorSession session, ConnectorTableMetadata metadata, boolean ignoreExisting) {
        if (ignoreExisting && store.table(metadata.getTable()).isPresent()) {
            return;
        }
        store.name(store.newTable(metadata.getTable(), metadata.getColumns()).id());
    }

    @Override
    public ConnectorOutputTableHandle beginCreateTable(
            ConnectorSession session,
            ConnectorTableMetadata metadata,
            Optional<ConnectorNewTableLayout> layout) {
        HeapTable table = store.newTable(metadata.getTable(), metadata.getColumns());
        return new HeapWriteHandle(table.id(), UUID.randomUUID().toString());
    }

    @Override
    public Optional<ConnectorOutputMetadata> finishCreateTable(
            ConnectorSession session,
            ConnectorOutputTableHandle handle,
            Collection<Slice> fragments,
            Collection<ComputedStatistics> statistics) {
        HeapWriteHandle write = (HeapWriteHandle) handle;
        store.publish(write.getWriteId(), write.getTableId());
        store.name(write.getTableId());
        return Optional.empty();
    }

    @Override
    public ConnectorInsertTableHandle beginInsert(
            ConnectorSession session, ConnectorTableHandle table) {
        return new HeapWriteHandle(((HeapTableHandle) table).getId(), UUID.randomUUID().toString());
    }

    @Override
    public Optional<ConnectorOutputMetadata> finishInsert(
            ConnectorSession session,
            ConnectorInsertTableHandle handle,
            Collection<Slice> fragments,
            Collection<ComputedStatistics> statistics) {
        HeapWriteHandle write = (HeapWriteHandle) handle;
        store.publish(write.getWriteId(), write.getTableId());
        return Optional.empty();
    }
}
