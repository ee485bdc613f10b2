package io.zkarrow.presto.system;

import static com.facebook.presto.common.type.BigintType.BIGINT;
import static com.facebook.presto.common.type.BooleanType.BOOLEAN;
import static com.facebook.presto.common.type.IntegerType.INTEGER;
import static com.facebook.presto.common.type.TimestampType.TIMESTAMP;
import static com.facebook.presto.common.type.VarcharType.VARCHAR;
import static com.facebook.presto.spi.SystemTable.Distribution.ALL_NODES;
import static com.facebook.presto.spi.SystemTable.Distribution.SINGLE_COORDINATOR;

import static io.zkarrow.presto.ZkArrowErrorCode.SCHEMA_NOT_FOUND;
import static io.zkarrow.presto.ZkArrowErrorCode.TABLE_NOT_FOUND;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.common.predicate.TupleDomain;
import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.ColumnMetadata;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorTableMetadata;
import com.facebook.presto.spi.InMemoryRecordSet;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.spi.RecordCursor;
import com.facebook.presto.spi.SchemaTableName;
import com.facebook.presto.spi.SystemTable;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

import io.zkarrow.presto.protocol.DataFile;
import io.zkarrow.presto.protocol.Json;
import io.zkarrow.presto.protocol.NodeInfo;
import io.zkarrow.presto.protocol.Response;
import io.zkarrow.presto.protocol.ZkArrowClient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The catalog's system tables, rows straight from the native admin ops (PROTOCOL.md): {@code
 * <catalog>.system.nodes|config|locks|znodes|counters} and, per table, {@code
 * <catalog>.<schema>."<table>$snapshots"}, {@code "<table>$files"} and {@code
 * "<table>$orphan_files"}. {@code config} and {@code counters} run on every node (a {@code node_id}
 * column says whose view a row is); the others run on the coordinator.
 *
 * <p>{@code "<table>$orphan_files"} lists the files under the table's location that no live
 * snapshot names, whatever their age (so files of a write still in flight show too). It is the dry
 * run of {@code CALL system.remove_orphan_files(...)}, which deletes those older than its grace
 * period.
 */
public final class ZkArrowSystemTables {
    public static final String SCHEMA = "system";
    private static final String SNAPSHOTS = "snapshots";
    private static final String FILES = "files";
    private static final String ORPHAN_FILES = "orphan_files";

    private final ZkArrowClient client;
    private final String nodeId;
    private final Set<SystemTable> systemTables;

    /**
     * {@code nodeId}: this Presto node's identifier, the {@code node_id} of the per-node tables.
     */
    public ZkArrowSystemTables(ZkArrowClient client, String nodeId) {
        this.client = requireNonNull(client, "client is null");
        this.nodeId = nodeId == null ? "" : nodeId;
        this.systemTables = createSystemTables();
    }

    /** The tables of schema {@code system}. */
    public Set<SystemTable> getSystemTables() {
        return systemTables;
    }

    private Set<SystemTable> createSystemTables() {
        Set<SystemTable> tables = new LinkedHashSet<>();
        tables.add(
                new NativeSystemTable(
                        new SchemaTableName(SCHEMA, "nodes"),
                        SINGLE_COORDINATOR,
                        Arrays.asList(
                                column("node_id", VARCHAR),
                                column("host", VARCHAR),
                                column("http_address", VARCHAR),
                                column("presto_version", VARCHAR),
                                column("zkarrow_version", VARCHAR),
                                column("started_at", TIMESTAMP),
                                column("coordinator", BOOLEAN)),
                        session -> nodeRows()));
        tables.add(
                new NativeSystemTable(
                        new SchemaTableName(SCHEMA, "config"),
                        ALL_NODES,
                        Arrays.asList(
                                column("node_id", VARCHAR),
                                column("key", VARCHAR),
                                column("value", VARCHAR),
                                column("source", VARCHAR),
                                column("description", VARCHAR),
                                column("error", VARCHAR)),
                        session -> configRows()));
        tables.add(
                new NativeSystemTable(
                        new SchemaTableName(SCHEMA, "locks"),
                        SINGLE_COORDINATOR,
                        Arrays.asList(
                                column("schema", VARCHAR),
                                column("table", VARCHAR),
                                column("lock_node", VARCHAR),
                                column("holder_node", VARCHAR),
                                column("query_id", VARCHAR),
                                column("since", TIMESTAMP)),
                        session -> lockRows()));
        tables.add(
                new NativeSystemTable(
                        new SchemaTableName(SCHEMA, "znodes"),
                        SINGLE_COORDINATOR,
                        Arrays.asList(
                                column("path", VARCHAR),
                                column("data", VARCHAR),
                                column("data_length", INTEGER),
                                column("version", INTEGER),
                                column("created", TIMESTAMP),
                                column("modified", TIMESTAMP),
                                column("ephemeral_owner", BIGINT),
                                column("children", INTEGER)),
                        session -> znodeRows()));
        tables.add(
                new NativeSystemTable(
                        new SchemaTableName(SCHEMA, "counters"),
                        ALL_NODES,
                        Arrays.asList(
                                column("node_id", VARCHAR),
                                column("zookeeper_requests", BIGINT),
                                column("cache_hits", BIGINT),
                                column("cache_misses", BIGINT)),
                        session -> counterRows()));
        return Collections.unmodifiableSet(tables);
    }

    /**
     * {@code "<table>$snapshots"}, {@code "<table>$files"} and {@code "<table>$orphan_files"} of an
     * existing table (what {@code ConnectorMetadata.getSystemTable} answers); empty for any other
     * name.
     */
    public Optional<SystemTable> getTableSystemTable(SchemaTableName name) {
        String tableName = name.getTableName();
        int dollar = tableName.lastIndexOf('$');
        if (dollar <= 0 || dollar == tableName.length() - 1) {
            return Optional.empty();
        }
        String schema = name.getSchemaName().toLowerCase(Locale.ENGLISH);
        String table = tableName.substring(0, dollar).toLowerCase(Locale.ENGLISH);
        String kind = tableName.substring(dollar + 1).toLowerCase(Locale.ENGLISH);
        if (!kind.equals(SNAPSHOTS) && !kind.equals(FILES) && !kind.equals(ORPHAN_FILES)) {
            return Optional.empty();
        }
        try {
            // $orphan_files needs only the table's record, not its columns' Presto types
            boolean exists =
                    kind.equals(ORPHAN_FILES)
                            ? client.tableRecord(schema, table).isPresent()
                            : client.getTable(schema, table).isPresent();
            if (!exists) {
                return Optional.empty();
            }
        } catch (PrestoException e) {
            if (e.getErrorCode().equals(SCHEMA_NOT_FOUND.toErrorCode())
                    || e.getErrorCode().equals(TABLE_NOT_FOUND.toErrorCode())) {
                return Optional.empty();
            }
            throw e;
        }
        SchemaTableName systemName = new SchemaTableName(schema, table + "$" + kind);
        if (kind.equals(SNAPSHOTS)) {
            return Optional.of(
                    new NativeSystemTable(
                            systemName,
                            SINGLE_COORDINATOR,
                            Arrays.asList(
                                    column("snapshot_id", BIGINT),
                                    column("parent_id", BIGINT),
                                    column("committed_at", TIMESTAMP),
                                    column("operation", VARCHAR),
                                    column("query_id", VARCHAR),
                                    column("added_files", BIGINT),
                                    column("added_rows", BIGINT),
                                    column("removed_files", BIGINT),
                                    column("removed_rows", BIGINT),
                                    column("total_rows", BIGINT),
                                    column("total_files", BIGINT),
                                    column("manifest", VARCHAR)),
                            session -> snapshotRows(schema, table)));
        }
        if (kind.equals(ORPHAN_FILES)) {
            return Optional.of(
                    new NativeSystemTable(
                            systemName,
                            SINGLE_COORDINATOR,
                            Collections.singletonList(column("path", VARCHAR)),
                            session -> orphanFileRows(session, schema, table)));
        }
        return Optional.of(
                new NativeSystemTable(
                        systemName,
                        SINGLE_COORDINATOR,
                        Arrays.asList(
                                column("path", VARCHAR),
                                column("rows", BIGINT),
                                column("bytes", BIGINT),
                                column("batches", INTEGER),
                                column("column_stats", VARCHAR)),
                        session -> fileRows(schema, table)));
    }

    private List<List<Object>> nodeRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (NodeInfo node : client.nodes()) {
            rows.add(
                    Arrays.asList(
                            node.nodeId(),
                            node.host(),
                            node.httpAddress(),
                            node.prestoVersion(),
                            node.zkarrowVersion(),
                            node.startedAtMs(),
                            node.coordinator()));
        }
        return rows;
    }

    private List<List<Object>> configRows() {
        Response.Settings config = client.config();
        List<List<Object>> rows = new ArrayList<>();
        for (Response.Setting setting : config.settings()) {
            rows.add(
                    Arrays.asList(
                            nodeId,
                            setting.key(),
                            setting.value(),
                            setting.source(),
                            setting.description(),
                            config.error()));
        }
        return rows;
    }

    private List<List<Object>> lockRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (Response.Lock lock : client.locks()) {
            Response.LockHolder holder =
                    lock.holder() != null
                            ? lock.holder()
                            : new Response.LockHolder(null, null, null);
            rows.add(
                    Arrays.asList(
                            lock.schema(),
                            lock.table(),
                            lock.nodeName(),
                            holder.node(),
                            holder.queryId(),
                            holder.sinceMs() != null ? holder.sinceMs() : lock.createdAtMs()));
        }
        return rows;
    }

    private List<List<Object>> znodeRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (Response.Znode znode : client.znodes()) {
            rows.add(
                    Arrays.asList(
                            znode.path(),
                            znode.data(),
                            znode.dataLength(),
                            znode.version(),
                            znode.createdAtMs(),
                            znode.modifiedAtMs(),
                            znode.ephemeralOwner(),
                            znode.children()));
        }
        return rows;
    }

    private List<List<Object>> counterRows() {
        Response.Counters counters = client.counters();
        return Collections.singletonList(
                Arrays.asList(
                        nodeId,
                        counters.zookeeperRequests(),
                        counters.cacheHits(),
                        counters.cacheMisses()));
    }

    private List<List<Object>> snapshotRows(String schema, String table) {
        List<List<Object>> rows = new ArrayList<>();
        for (Response.Snapshot snapshot : client.snapshots(schema, table)) {
            Response.SnapshotSummary summary =
                    snapshot.summary() != null
                            ? snapshot.summary()
                            : new Response.SnapshotSummary(null, null, null, null);
            rows.add(
                    Arrays.asList(
                            snapshot.snapshotId(),
                            snapshot.parentId(),
                            snapshot.committedAtMs(),
                            snapshot.operation(),
                            snapshot.queryId(),
                            summary.addedFiles(),
                            summary.addedRows(),
                            summary.removedFiles(),
                            summary.removedRows(),
                            snapshot.totalRows(),
                            snapshot.totalFiles(),
                            snapshot.manifest()));
        }
        return rows;
    }

    private List<List<Object>> fileRows(String schema, String table) {
        List<List<Object>> rows = new ArrayList<>();
        for (DataFile file : client.files(schema, table, null)) {
            rows.add(
                    Arrays.asList(
                            file.path(),
                            file.rows(),
                            file.bytes(),
                            file.batchRows() == null ? null : (long) file.batchRows().size(),
                            file.columns() == null ? null : Json.write(file.columns())));
        }
        return rows;
    }

    private List<List<Object>> orphanFileRows(
            ConnectorSession session, String schema, String table) {
        List<List<Object>> rows = new ArrayList<>();
        // every unreferenced file, however young: a dry run of files older than no time at all
        for (String path :
                client.removeOrphanFiles(schema, table, "0s", true, session.getQueryId())) {
            rows.add(Collections.singletonList(path));
        }
        return rows;
    }

    private static ColumnMetadata column(String name, Type type) {
        return ColumnMetadata.builder().setName(name).setType(type).setNullable(true).build();
    }

    /** A system table whose rows one native op gives, read when the table is scanned. */
    private static final class NativeSystemTable implements SystemTable {
        private final ConnectorTableMetadata metadata;
        private final Distribution distribution;
        private final Function<ConnectorSession, List<List<Object>>> rows;

        NativeSystemTable(
                SchemaTableName name,
                Distribution distribution,
                List<ColumnMetadata> columns,
                Function<ConnectorSession, List<List<Object>>> rows) {
            this.metadata = new ConnectorTableMetadata(name, columns);
            this.distribution = distribution;
            this.rows = rows;
        }

        @Override
        public Distribution getDistribution() {
            return distribution;
        }

        @Override
        public ConnectorTableMetadata getTableMetadata() {
            return metadata;
        }

        @Override
        public RecordCursor cursor(
                ConnectorTransactionHandle transactionHandle,
                ConnectorSession session,
                TupleDomain<Integer> constraint) {
            List<Type> types = new ArrayList<>();
            for (ColumnMetadata column : metadata.getColumns()) {
                types.add(column.getType());
            }
            return new InMemoryRecordSet(types, rows.apply(session)).cursor();
        }
    }
}
