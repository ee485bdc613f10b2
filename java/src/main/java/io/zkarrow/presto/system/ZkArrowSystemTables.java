package io.zkarrow.presto.system;

import static com.facebook.presto.common.type.BigintType.BIGINT;
import static com.facebook.presto.common.type.BooleanType.BOOLEAN;
import static com.facebook.presto.common.type.IntegerType.INTEGER;
import static com.facebook.presto.common.type.TimestampType.TIMESTAMP;
import static com.facebook.presto.common.type.VarcharType.VARCHAR;
import static com.facebook.presto.spi.SystemTable.Distribution.ALL_NODES;
import static com.facebook.presto.spi.SystemTable.Distribution.SINGLE_COORDINATOR;

import static io.zkarrow.presto.ZkArrowErrorCode.INTERNAL;
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

import io.zkarrow.presto.protocol.Json;
import io.zkarrow.presto.protocol.ZkArrowClient;
import io.zkarrow.presto.protocol.ZkArrowTableOps;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

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
    private final ZkArrowTableOps ops;
    private final String nodeId;
    private final Set<SystemTable> systemTables;

    /**
     * {@code nodeId}: this Presto node's identifier, the {@code node_id} of the per-node tables.
     */
    public ZkArrowSystemTables(ZkArrowClient client, ZkArrowTableOps ops, String nodeId) {
        this.client = requireNonNull(client, "client is null");
        this.ops = requireNonNull(ops, "ops is null");
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
                new Table(
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
                        this::nodeRows));
        tables.add(
                new Table(
                        new SchemaTableName(SCHEMA, "config"),
                        ALL_NODES,
                        Arrays.asList(
                                column("node_id", VARCHAR),
                                column("key", VARCHAR),
                                column("value", VARCHAR),
                                column("source", VARCHAR),
                                column("description", VARCHAR),
                                column("error", VARCHAR)),
                        this::configRows));
        tables.add(
                new Table(
                        new SchemaTableName(SCHEMA, "locks"),
                        SINGLE_COORDINATOR,
                        Arrays.asList(
                                column("schema", VARCHAR),
                                column("table", VARCHAR),
                                column("lock_node", VARCHAR),
                                column("holder_node", VARCHAR),
                                column("query_id", VARCHAR),
                                column("since", TIMESTAMP)),
                        this::lockRows));
        tables.add(
                new Table(
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
                        this::znodeRows));
        tables.add(
                new Table(
                        new SchemaTableName(SCHEMA, "counters"),
                        ALL_NODES,
                        Arrays.asList(
                                column("node_id", VARCHAR),
                                column("zookeeper_requests", BIGINT),
                                column("cache_hits", BIGINT),
                                column("cache_misses", BIGINT)),
                        this::counterRows));
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
                            ? ops.tableRecord(schema, table) != null
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
                    new Table(
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
                            () -> snapshotRows(schema, table)));
        }
        if (kind.equals(ORPHAN_FILES)) {
            return Optional.of(
                    new Table(
                            systemName,
                            SINGLE_COORDINATOR,
                            Collections.singletonList(column("path", VARCHAR)),
                            () -> orphanFileRows(schema, table)));
        }
        return Optional.of(
                new Table(
                        systemName,
                        SINGLE_COORDINATOR,
                        Arrays.asList(
                                column("path", VARCHAR),
                                column("rows", BIGINT),
                                column("bytes", BIGINT),
                                column("batches", INTEGER),
                                column("column_stats", VARCHAR)),
                        () -> fileRows(schema, table)));
    }

    private List<List<Object>> nodeRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> node : objects(op("nodes"), "nodes")) {
            rows.add(
                    Arrays.asList(
                            string(node, "node_id"),
                            string(node, "host"),
                            string(node, "http_address"),
                            string(node, "presto_version"),
                            string(node, "zkarrow_version"),
                            number(node, "started_at_ms"),
                            node.get("coordinator") instanceof Boolean
                                    ? node.get("coordinator")
                                    : null));
        }
        return rows;
    }

    private List<List<Object>> configRows() {
        Map<String, Object> response = op("config");
        String error = string(response, "error");
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> setting : objects(response, "settings")) {
            rows.add(
                    Arrays.asList(
                            nodeId,
                            string(setting, "key"),
                            string(setting, "value"),
                            string(setting, "source"),
                            string(setting, "description"),
                            error));
        }
        return rows;
    }

    private List<List<Object>> lockRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> lock : objects(op("locks"), "locks")) {
            Map<String, Object> holder =
                    lock.get("holder") instanceof Map
                            ? object(lock.get("holder"))
                            : Collections.emptyMap();
            Long since = number(holder, "since_ms");
            rows.add(
                    Arrays.asList(
                            string(lock, "schema"),
                            string(lock, "table"),
                            string(lock, "node_name"),
                            string(holder, "node"),
                            string(holder, "query_id"),
                            since != null ? since : number(lock, "created_at_ms")));
        }
        return rows;
    }

    private List<List<Object>> znodeRows() {
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> znode : objects(op("znodes"), "znodes")) {
            rows.add(
                    Arrays.asList(
                            string(znode, "path"),
                            string(znode, "data"),
                            number(znode, "data_length"),
                            number(znode, "version"),
                            number(znode, "created_at_ms"),
                            number(znode, "modified_at_ms"),
                            number(znode, "ephemeral_owner"),
                            number(znode, "children")));
        }
        return rows;
    }

    private List<List<Object>> counterRows() {
        Map<String, Object> counters = op("counters");
        return Collections.singletonList(
                Arrays.asList(
                        nodeId,
                        number(counters, "zookeeper_requests"),
                        number(counters, "cache_hits"),
                        number(counters, "cache_misses")));
    }

    private List<List<Object>> snapshotRows(String schema, String table) {
        Map<String, Object> request = ZkArrowClient.request("snapshots");
        request.put("schema", schema);
        request.put("table", table);
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> snapshot : objects(client.call(request), "snapshots")) {
            Map<String, Object> summary =
                    snapshot.get("summary") instanceof Map
                            ? object(snapshot.get("summary"))
                            : Collections.emptyMap();
            rows.add(
                    Arrays.asList(
                            number(snapshot, "snapshot_id"),
                            number(snapshot, "parent_id"),
                            number(snapshot, "committed_at_ms"),
                            string(snapshot, "operation"),
                            string(snapshot, "query_id"),
                            number(summary, "added_files"),
                            number(summary, "added_rows"),
                            number(summary, "removed_files"),
                            number(summary, "removed_rows"),
                            number(snapshot, "total_rows"),
                            number(snapshot, "total_files"),
                            string(snapshot, "manifest")));
        }
        return rows;
    }

    private List<List<Object>> fileRows(String schema, String table) {
        Map<String, Object> request = ZkArrowClient.request("files");
        request.put("schema", schema);
        request.put("table", table);
        List<List<Object>> rows = new ArrayList<>();
        for (Map<String, Object> file : objects(client.call(request), "files")) {
            Object batches = file.get("batch_rows");
            Object stats = file.get("columns");
            rows.add(
                    Arrays.asList(
                            string(file, "path"),
                            number(file, "rows"),
                            number(file, "bytes"),
                            batches instanceof List ? (long) ((List<?>) batches).size() : null,
                            stats == null ? null : Json.write(stats)));
        }
        return rows;
    }

    private List<List<Object>> orphanFileRows(String schema, String table) {
        List<List<Object>> rows = new ArrayList<>();
        // every unreferenced file, however young: older_than = now + 1 day
        for (String path :
                ops.removeOrphanFiles(
                        schema, table, System.currentTimeMillis() + 86_400_000L, true)) {
            rows.add(Collections.singletonList(path));
        }
        return rows;
    }

    private Map<String, Object> op(String op) {
        return client.call(ZkArrowClient.request(op));
    }

    private static ColumnMetadata column(String name, Type type) {
        return ColumnMetadata.builder().setName(name).setType(type).setNullable(true).build();
    }

    private static List<Map<String, Object>> objects(Map<String, Object> response, String field) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object item : ZkArrowClient.list(response, field)) {
            objects.add(object(item));
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value) {
        if (!(value instanceof Map)) {
            throw new PrestoException(
                    INTERNAL,
                    "The native library's response has a non-object where an object belongs: "
                            + Json.write(value));
        }
        return (Map<String, Object>) value;
    }

    private static String string(Map<String, Object> object, String field) {
        Object value = object.get(field);
        return value == null ? null : value instanceof String ? (String) value : Json.write(value);
    }

    /**
     * An integer field as a Long (null when absent); large unsigned ids may arrive as strings or
     * doubles.
     */
    private static Long number(Map<String, Object> object, String field) {
        Object value = object.get(field);
        if (value == null) {
            return null;
        }
        if (value instanceof Long) {
            return (Long) value;
        }
        if (value instanceof Number) {
            return ((Number) value).longValue();
        }
        if (value instanceof String) {
            try {
                return Long.parseUnsignedLong((String) value);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new PrestoException(
                INTERNAL,
                "The native library's response has a non-integer '"
                        + field
                        + "': "
                        + Json.write(object));
    }

    /** A system table whose rows one native op gives, read when the table is scanned. */
    private static final class Table implements SystemTable {
        private final ConnectorTableMetadata metadata;
        private final Distribution distribution;
        private final Supplier<List<List<Object>>> rows;

        Table(
                SchemaTableName name,
                Distribution distribution,
                List<ColumnMetadata> columns,
                Supplier<List<List<Object>>> rows) {
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
            return new InMemoryRecordSet(types, rows.get()).cursor();
        }
    }
}
