package io.zkarrow.presto;

import com.facebook.presto.spi.ColumnHandle;
import com.facebook.presto.spi.ColumnMetadata;
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
import com.facebook.presto.spi.statistics.Estimate;
import com.facebook.presto.spi.statistics.TableStatistics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static io.zkarrow.presto.ZkArrowErrorCode.SCHEMA_NOT_FOUND;
import static io.zkarrow.presto.ZkArrowErrorCode.TABLE_NOT_FOUND;
import static java.util.Objects.requireNonNull;

/**
 * Metadata of one transaction. Presto asks for it once per transaction, so table records read here
 * are cached for the transaction's life (one query in auto-commit mode).
 */
public final class ZkArrowMetadata
        implements ConnectorMetadata
{
    private final ZkArrowClient client;
    private final Map<SchemaTableName, Optional<ZkArrowClient.TableInfo>> tables = new ConcurrentHashMap<>();

    public ZkArrowMetadata(ZkArrowClient client)
    {
        this.client = requireNonNull(client, "client is null");
    }

    @Override
    public List<String> listSchemaNames(ConnectorSession session)
    {
        return client.listSchemas();
    }

    @Override
    public void createSchema(ConnectorSession session, String schemaName, Map<String, Object> properties)
    {
        tables.clear();
        client.createSchema(schemaName);
    }

    @Override
    public void dropSchema(ConnectorSession session, String schemaName)
    {
        tables.clear();
        client.dropSchema(schemaName);
    }

    @Override
    public List<SchemaTableName> listTables(ConnectorSession session, Optional<String> schemaName)
    {
        try {
            return client.listTables(schemaName);
        }
        catch (PrestoException e) {
            if (isNotFound(e)) {
                return new ArrayList<>();
            }
            throw e;
        }
    }

    @Override
    public List<SchemaTableName> listTables(ConnectorSession session, String schemaNameOrNull)
    {
        return listTables(session, Optional.ofNullable(schemaNameOrNull));
    }

    @Override
    public ConnectorTableHandle getTableHandle(ConnectorSession session, SchemaTableName tableName)
    {
        return table(tableName).map(ZkArrowClient.TableInfo::toHandle).orElse(null);
    }

    @Override
    public ConnectorTableLayoutResult getTableLayoutForConstraint(
            ConnectorSession session,
            ConnectorTableHandle table,
            Constraint<ColumnHandle> constraint,
            Optional<Set<ColumnHandle>> desiredColumns)
    {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) table;
        List<String> columns = new ArrayList<>();
        if (desiredColumns.isPresent()) {
            // in table order, so that the request does not depend on a set's order
            for (ZkArrowColumnHandle column : tableInfo(handle).getColumns()) {
                if (desiredColumns.get().contains(column)) {
                    columns.add(column.getName());
                }
            }
        }
        else {
            tableInfo(handle).getColumns().forEach(column -> columns.add(column.getName()));
        }
        ConnectorTableLayout layout = new ConnectorTableLayout(new ZkArrowTableLayoutHandle(handle, columns));
        // no predicate is enforced here: Presto filters every row
        return new ConnectorTableLayoutResult(layout, constraint.getSummary());
    }

    @Override
    public ConnectorTableLayout getTableLayout(ConnectorSession session, ConnectorTableLayoutHandle handle)
    {
        return new ConnectorTableLayout(handle);
    }

    @Override
    public ConnectorTableMetadata getTableMetadata(ConnectorSession session, ConnectorTableHandle table)
    {
        ZkArrowClient.TableInfo info = tableInfo((ZkArrowTableHandle) table);
        return new ConnectorTableMetadata(info.getName(), columnMetadata(info));
    }

    @Override
    public Map<String, ColumnHandle> getColumnHandles(ConnectorSession session, ConnectorTableHandle tableHandle)
    {
        Map<String, ColumnHandle> handles = new LinkedHashMap<>();
        for (ZkArrowColumnHandle column : tableInfo((ZkArrowTableHandle) tableHandle).getColumns()) {
            // Presto names columns in lower case (ColumnMetadata does the same)
            handles.put(column.getName().toLowerCase(Locale.ENGLISH), column);
        }
        return handles;
    }

    @Override
    public ColumnMetadata getColumnMetadata(ConnectorSession session, ConnectorTableHandle tableHandle, ColumnHandle columnHandle)
    {
        return ((ZkArrowColumnHandle) columnHandle).toColumnMetadata();
    }

    @Override
    public Map<SchemaTableName, List<ColumnMetadata>> listTableColumns(ConnectorSession session, SchemaTablePrefix prefix)
    {
        List<SchemaTableName> names;
        if (prefix.getTableName() != null && prefix.getSchemaName() != null) {
            names = new ArrayList<>();
            names.add(new SchemaTableName(prefix.getSchemaName(), prefix.getTableName()));
        }
        else {
            names = listTables(session, Optional.ofNullable(prefix.getSchemaName()));
        }
        Map<SchemaTableName, List<ColumnMetadata>> columns = new LinkedHashMap<>();
        for (SchemaTableName name : names) {
            // a table dropped while listing is skipped
            table(name).ifPresent(info -> columns.put(name, columnMetadata(info)));
        }
        return columns;
    }

    @Override
    public TableStatistics getTableStatistics(
            ConnectorSession session,
            ConnectorTableHandle tableHandle,
            Optional<ConnectorTableLayoutHandle> tableLayoutHandle,
            List<ColumnHandle> columnHandles,
            Constraint<ColumnHandle> constraint)
    {
        ZkArrowTableHandle handle = (ZkArrowTableHandle) tableHandle;
        Optional<ZkArrowClient.TableInfo> info = table(handle.toSchemaTableName());
        if (!info.isPresent() || !info.get().getRowCount().isPresent()) {
            return TableStatistics.empty();
        }
        return TableStatistics.builder()
                .setRowCount(Estimate.of(info.get().getRowCount().getAsLong()))
                .build();
    }

    private static List<ColumnMetadata> columnMetadata(ZkArrowClient.TableInfo info)
    {
        List<ColumnMetadata> columns = new ArrayList<>();
        for (ZkArrowColumnHandle column : info.getColumns()) {
            columns.add(column.toColumnMetadata());
        }
        return columns;
    }

    private ZkArrowClient.TableInfo tableInfo(ZkArrowTableHandle handle)
    {
        return table(handle.toSchemaTableName()).orElseThrow(() -> new TableNotFoundException(handle.toSchemaTableName()));
    }

    private Optional<ZkArrowClient.TableInfo> table(SchemaTableName name)
    {
        Optional<ZkArrowClient.TableInfo> cached = tables.get(name);
        if (cached != null) {
            return cached;
        }
        Optional<ZkArrowClient.TableInfo> info;
        try {
            info = client.getTable(name.getSchemaName(), name.getTableName());
        }
        catch (PrestoException e) {
            if (!isNotFound(e)) {
                throw e;
            }
            info = Optional.empty();
        }
        tables.put(name, info);
        return info;
    }

    private static boolean isNotFound(PrestoException e)
    {
        return e.getErrorCode().equals(SCHEMA_NOT_FOUND.toErrorCode()) || e.getErrorCode().equals(TABLE_NOT_FOUND.toErrorCode());
    }
}
