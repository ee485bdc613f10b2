package io.zkarrow.presto.protocol;

import static com.facebook.presto.common.type.TypeSignature.parseTypeSignature;

import static io.zkarrow.presto.ZkArrowErrorCode.INTERNAL;
import static io.zkarrow.presto.ZkArrowErrorCode.UNSUPPORTED_TYPE;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.common.type.Type;
import com.facebook.presto.common.type.TypeManager;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.spi.SchemaTableName;

import io.zkarrow.presto.ZkArrowConfig;
import io.zkarrow.presto.ZkArrowErrorCode;
import io.zkarrow.presto.handle.ZkArrowColumnHandle;
import io.zkarrow.presto.handle.ZkArrowSplit;
import io.zkarrow.presto.handle.ZkArrowTableHandle;
import io.zkarrow.presto.nativelib.NativeCatalog;
import io.zkarrow.presto.nativelib.ZkArrowNativeException;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one client of the native catalog: every op of {@link Request} as a typed method over one
 * {@link NativeCatalog}. Requests are serialized and responses bound by {@link Json}; every native
 * error comes out as a PrestoException with the matching {@link ZkArrowErrorCode}.
 */
public final class ZkArrowClient implements AutoCloseable {
    private final NativeCatalog catalog;
    private final TypeManager typeManager;

    public ZkArrowClient(NativeCatalog catalog, TypeManager typeManager) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.typeManager = requireNonNull(typeManager, "typeManager is null");
    }

    /** Opens the catalog {@code config} describes, registering {@code node} (or nothing). */
    public static ZkArrowClient open(ZkArrowConfig config, NodeInfo node, TypeManager typeManager) {
        try {
            return new ZkArrowClient(NativeCatalog.connect(config.toNativeJson(node)), typeManager);
        } catch (ZkArrowNativeException e) {
            throw ZkArrowErrorCode.toPrestoException(e);
        }
    }

    /** A table as the catalog describes it, its columns as Presto column handles. */
    public static final class TableInfo {
        private final Table table;
        private final SchemaTableName name;
        private final List<ZkArrowColumnHandle> columns;

        TableInfo(Table table, List<ZkArrowColumnHandle> columns) {
            this.table = table;
            this.name = new SchemaTableName(table.schema(), table.table());
            this.columns = Collections.unmodifiableList(columns);
        }

        public SchemaTableName getName() {
            return name;
        }

        public Long getSnapshotId() {
            return table.snapshotId();
        }

        public OptionalLong getRowCount() {
            return table.rowCount() == null
                    ? OptionalLong.empty()
                    : OptionalLong.of(table.rowCount());
        }

        public String getLocation() {
            return table.location();
        }

        public List<ZkArrowColumnHandle> getColumns() {
            return columns;
        }

        /** The record itself. */
        public Table getTable() {
            return table;
        }

        public ZkArrowTableHandle toHandle() {
            return new ZkArrowTableHandle(
                    name.getSchemaName(), name.getTableName(), table.snapshotId(), table.id());
        }
    }

    // ---------------------------------------------------------------- schemas and tables

    public List<String> listSchemas() {
        return call(new Request.ListSchemas()).schemas();
    }

    public void createSchema(String schema) {
        call(new Request.CreateSchema(schema));
    }

    public void dropSchema(String schema) {
        call(new Request.DropSchema(schema));
    }

    public List<SchemaTableName> listTables(Optional<String> schema) {
        List<SchemaTableName> tables = new ArrayList<>();
        for (Response.TableName table :
                call(new Request.ListTables(schema.orElse(null))).tables()) {
            tables.add(new SchemaTableName(table.schema(), table.table()));
        }
        return tables;
    }

    /** The table with its columns' Presto types, or empty when there is no such table. */
    public Optional<TableInfo> getTable(String schema, String table) {
        return tableRecord(schema, table).map(this::toTableInfo);
    }

    /**
     * Every table of {@code schema} (of every schema when empty) with its columns' Presto types,
     * sorted by schema then table: one native call.
     */
    public List<TableInfo> describeTables(Optional<String> schema) {
        List<TableInfo> tables = new ArrayList<>();
        for (Table table : call(new Request.DescribeTables(schema.orElse(null))).tables()) {
            tables.add(toTableInfo(table));
        }
        return tables;
    }

    /** get_table's record as it is (no Presto types parsed), or empty. */
    public Optional<Table> tableRecord(String schema, String table) {
        return Optional.ofNullable(call(new Request.GetTable(schema, table)).table());
    }

    public TableInfo registerTable(String schema, String table, String path) {
        return toTableInfo(
                table(call(new Request.RegisterTable(schema, table, path)), "register_table"));
    }

    public void unregisterTable(String schema, String table, String queryId) {
        call(new Request.UnregisterTable(schema, table, queryId));
    }

    public void createTable(
            String schema, String table, List<ColumnSpec> columns, Map<String, String> properties) {
        call(new Request.CreateTable(schema, table, columns, properties));
    }

    public void dropTable(String schema, String table, String queryId) {
        call(new Request.DropTable(schema, table, queryId));
    }

    public void renameTable(
            String schema, String table, String newSchema, String newTable, String queryId) {
        call(new Request.RenameTable(schema, table, newSchema, newTable, queryId));
    }

    /** ALTER TABLE ... ADD COLUMN: {@code type} is a Presto type signature. */
    public TableInfo addColumn(
            String schema, String table, String name, String type, String queryId) {
        return toTableInfo(
                table(
                        call(new Request.AddColumn(schema, table, name, type, queryId)),
                        "add_column"));
    }

    public TableInfo renameColumn(
            String schema, String table, String name, String newName, String queryId) {
        return toTableInfo(
                table(
                        call(new Request.RenameColumn(schema, table, name, newName, queryId)),
                        "rename_column"));
    }

    public TableInfo dropColumn(String schema, String table, String name, String queryId) {
        return toTableInfo(
                table(call(new Request.DropColumn(schema, table, name, queryId)), "drop_column"));
    }

    // ---------------------------------------------------------------- writes

    /** CREATE TABLE AS, begin: the planned table and its data directory; nothing is published. */
    public Response.NewTablePlan planNewTable(
            String schema,
            String table,
            List<ColumnSpec> columns,
            Map<String, String> properties,
            String queryId) {
        return call(new Request.PlanNewTable(schema, table, columns, properties, queryId));
    }

    public void publishTable(NewTable newTable, List<DataFile> files) {
        call(new Request.PublishTable(newTable, files));
    }

    /** Removes what the writers of a table that will never be published left. */
    public void abortNewTable(NewTable newTable) {
        call(new Request.AbortNewTable(newTable));
    }

    /** INSERT, begin: the write is in flight; the table it writes into. */
    public Table beginWrite(String schema, String table, String queryId) {
        return table(call(new Request.BeginWrite(schema, table, queryId)), "begin_write");
    }

    /** An INSERT that will not commit is no longer in flight. */
    public void endWrite(String tableId, String queryId) {
        if (tableId == null || queryId == null) {
            return;
        }
        call(new Request.EndWrite(tableId, queryId));
    }

    public Response.CommitOutcome commit(
            String schema,
            String table,
            Request.Operation operation,
            List<DataFile> files,
            Long baseSnapshotId,
            String tableId,
            String queryId) {
        return call(
                new Request.Commit(
                        schema, table, operation, files, baseSnapshotId, tableId, queryId, null));
    }

    // ---------------------------------------------------------------- scans

    /**
     * The splits of {@code table}'s snapshot (every split of a query comes from the snapshot the
     * query resolved, or time travel's) for the projected columns {@code columnIds}, skipping files
     * whose statistics exclude {@code domains}; {@code targetSplitBytes} null: the live setting;
     * {@code limit} (null: none): only the leading batches holding that many rows.
     */
    public List<ZkArrowSplit> planSplits(
            ZkArrowTableHandle table,
            List<Long> columnIds,
            List<ColumnDomain> domains,
            Long targetSplitBytes,
            Long limit) {
        List<ZkArrowSplit> splits = new ArrayList<>();
        Response.SplitList response =
                call(
                        new Request.PlanSplits(
                                table.getSchema(),
                                table.getTable(),
                                table.getSnapshotId(),
                                columnIds,
                                domains,
                                targetSplitBytes,
                                limit));
        for (Split split : response.splits()) {
            splits.add(
                    new ZkArrowSplit(
                            split.path(),
                            split.batchStart(),
                            split.batchEnd(),
                            split.bytes(),
                            split.rows(),
                            split.preferredNode()));
        }
        return splits;
    }

    /**
     * The snapshot a time travel clause selects: exactly one of {@code version} (a Long, or text)
     * and {@code timestampMillis}.
     */
    public long resolveVersion(
            String schema, String table, Object version, Long timestampMillis, boolean before) {
        return call(new Request.ResolveVersion(schema, table, version, timestampMillis, before))
                .snapshotId();
    }

    // ---------------------------------------------------------------- snapshots and maintenance

    /** Newest first. */
    public List<Response.Snapshot> snapshots(String schema, String table) {
        return call(new Request.Snapshots(schema, table)).snapshots();
    }

    /** The files of {@code snapshotId}, or of the current snapshot when null. */
    public List<DataFile> files(String schema, String table, Long snapshotId) {
        return call(new Request.Files(schema, table, snapshotId)).files();
    }

    /** Row count and column estimates of {@code snapshotId}, or of the current snapshot. */
    public Response.TableStatistics tableStatistics(String schema, String table, Long snapshotId) {
        return call(new Request.TableStatistics(schema, table, snapshotId));
    }

    public Response.CommitOutcome rollbackToSnapshot(
            String schema, String table, Long snapshotId, String queryId) {
        return call(new Request.RollbackToSnapshot(schema, table, snapshotId, queryId, null));
    }

    /** The expired snapshots' ids; null arguments take the native defaults. */
    public List<Long> expireSnapshots(
            String schema, String table, String olderThan, Long retainLast) {
        return call(new Request.ExpireSnapshots(schema, table, olderThan, retainLast)).expired();
    }

    /** The files removed (or that would be); null arguments take the native defaults. */
    public List<String> removeOrphanFiles(
            String schema, String table, String olderThan, Boolean dryRun, String queryId) {
        return call(new Request.RemoveOrphanFiles(schema, table, olderThan, dryRun, queryId))
                .files();
    }

    /**
     * Compacts the table's small files into files of about {@code targetFileSize} (text such as
     * {@code 128MB}, or null for 128MB) as one replace snapshot.
     */
    public Response.OptimizeReport optimize(
            String schema, String table, String targetFileSize, String queryId) {
        return call(new Request.Optimize(schema, table, targetFileSize, queryId));
    }

    // ---------------------------------------------------------------- administration

    public List<Response.Lock> locks() {
        return call(new Request.Locks()).locks();
    }

    public List<NodeInfo> nodes() {
        return call(new Request.Nodes()).nodes();
    }

    public Response.Settings config() {
        return call(new Request.Config());
    }

    /** Validates and writes one dynamic setting; a refused key or value writes nothing. */
    public void setConfig(String key, String value) {
        call(new Request.SetConfig(key, value));
    }

    public List<Response.Znode> znodes() {
        return call(new Request.Znodes()).znodes();
    }

    public Response.Counters counters() {
        return call(new Request.Counters());
    }

    // ---------------------------------------------------------------- types and calls

    public Type parseType(String signature, String what) {
        try {
            return typeManager.getType(parseTypeSignature(signature));
        } catch (RuntimeException e) {
            throw new PrestoException(
                    UNSUPPORTED_TYPE,
                    "Presto does not support the type '"
                            + signature
                            + "' of "
                            + what
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /** The column handles of a table's (or a planned table's) columns, in table order. */
    public List<ZkArrowColumnHandle> columnHandles(List<Column> columns, String tableName) {
        List<ZkArrowColumnHandle> handles = new ArrayList<>();
        for (Column column : columns) {
            handles.add(
                    new ZkArrowColumnHandle(
                            column.name(),
                            parseType(
                                    column.type(), "column " + column.name() + " of " + tableName),
                            handles.size(),
                            column.id(),
                            column.fileName()));
        }
        return handles;
    }

    private TableInfo toTableInfo(Table table) {
        String name = table.schema() + "." + table.table();
        return new TableInfo(table, columnHandles(table.columns(), name));
    }

    private static Table table(Response.TableResult response, String op) {
        if (response.table() == null) {
            throw new PrestoException(
                    INTERNAL, "The native library's answer to " + op + " has no table");
        }
        return response.table();
    }

    @Override
    public void close() {
        catalog.close();
    }

    /** One native metadata request; native errors come out as PrestoExceptions. */
    public <R> R call(Request<R> request) {
        String response;
        try {
            response = catalog.call(Json.writeRequest(request));
        } catch (ZkArrowNativeException e) {
            throw ZkArrowErrorCode.toPrestoException(e);
        }
        if (response == null) {
            throw new PrestoException(
                    INTERNAL,
                    "The native library returned no response to " + Request.opOf(request));
        }
        try {
            return Json.read(response, request.responseType());
        } catch (IllegalArgumentException e) {
            throw new PrestoException(
                    INTERNAL,
                    "Unreadable response to " + Request.opOf(request) + ": " + e.getMessage(),
                    e);
        }
    }
}
