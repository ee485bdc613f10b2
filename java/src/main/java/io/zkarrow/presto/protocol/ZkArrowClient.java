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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The metadata requests of PROTOCOL.md over one {@link NativeCatalog}: typed Java in, typed Java
 * out. Every native error comes out as a PrestoException with the matching {@link
 * ZkArrowErrorCode}.
 */
public final class ZkArrowClient implements AutoCloseable {
    private final NativeCatalog catalog;
    private final TypeManager typeManager;

    public ZkArrowClient(NativeCatalog catalog, TypeManager typeManager) {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.typeManager = requireNonNull(typeManager, "typeManager is null");
    }

    public static ZkArrowClient open(ZkArrowConfig config, TypeManager typeManager) {
        return open(config, null, typeManager);
    }

    /**
     * Opens the catalog and registers {@code node} (PROTOCOL.md NodeInfo, or null) until {@link
     * #close()}.
     */
    public static ZkArrowClient open(
            ZkArrowConfig config, Map<String, Object> node, TypeManager typeManager) {
        try {
            return new ZkArrowClient(NativeCatalog.connect(config.toNativeJson(node)), typeManager);
        } catch (ZkArrowNativeException e) {
            throw ZkArrowErrorCode.toPrestoException(e);
        }
    }

    /** A table as the catalog describes it. */
    public static final class TableInfo {
        private final SchemaTableName name;
        private final Long snapshotId;
        private final String id;
        private final OptionalLong rowCount;
        private final String location;
        private final List<ZkArrowColumnHandle> columns;

        TableInfo(
                SchemaTableName name,
                Long snapshotId,
                String id,
                OptionalLong rowCount,
                String location,
                List<ZkArrowColumnHandle> columns) {
            this.name = name;
            this.snapshotId = snapshotId;
            this.id = id;
            this.rowCount = rowCount;
            this.location = location;
            this.columns = Collections.unmodifiableList(columns);
        }

        public SchemaTableName getName() {
            return name;
        }

        public Long getSnapshotId() {
            return snapshotId;
        }

        public OptionalLong getRowCount() {
            return rowCount;
        }

        public String getLocation() {
            return location;
        }

        public List<ZkArrowColumnHandle> getColumns() {
            return columns;
        }

        public ZkArrowTableHandle toHandle() {
            return new ZkArrowTableHandle(
                    name.getSchemaName(), name.getTableName(), snapshotId, id);
        }
    }

    public List<String> listSchemas() {
        Map<String, Object> response = call(request("list_schemas"));
        List<String> schemas = new ArrayList<>();
        for (Object schema : list(response, "schemas")) {
            schemas.add((String) schema);
        }
        return schemas;
    }

    public void createSchema(String schema) {
        Map<String, Object> request = request("create_schema");
        request.put("schema", schema);
        call(request);
    }

    public void dropSchema(String schema) {
        Map<String, Object> request = request("drop_schema");
        request.put("schema", schema);
        call(request);
    }

    public List<SchemaTableName> listTables(Optional<String> schema) {
        Map<String, Object> request = request("list_tables");
        request.put("schema", schema.orElse(null));
        List<SchemaTableName> tables = new ArrayList<>();
        for (Object item : list(call(request), "tables")) {
            Map<String, Object> table = object(item, "tables[]");
            tables.add(new SchemaTableName(string(table, "schema"), string(table, "table")));
        }
        return tables;
    }

    public Optional<TableInfo> getTable(String schema, String table) {
        Map<String, Object> request = request("get_table");
        request.put("schema", schema);
        request.put("table", table);
        Object value = call(request).get("table");
        return value == null ? Optional.empty() : Optional.of(toTableInfo(object(value, "table")));
    }

    public TableInfo registerTable(String schema, String table, String path) {
        Map<String, Object> request = request("register_table");
        request.put("schema", schema);
        request.put("table", table);
        request.put("path", path);
        return toTableInfo(object(call(request).get("table"), "table"));
    }

    public void unregisterTable(String schema, String table) {
        Map<String, Object> request = request("unregister_table");
        request.put("schema", schema);
        request.put("table", table);
        call(request);
    }

    public List<ZkArrowSplit> planSplits(
            ZkArrowTableHandle table, List<String> columns, OptionalLong targetSplitBytes) {
        Map<String, Object> request = request("plan_splits");
        request.put("schema", table.getSchema());
        request.put("table", table.getTable());
        request.put("columns", columns);
        if (table.getSnapshotId() != null) {
            // the snapshot the query resolved (or time travel's): every split of a query comes from
            // one snapshot
            request.put("snapshot_id", table.getSnapshotId());
        }
        if (targetSplitBytes.isPresent()) {
            request.put("target_split_bytes", targetSplitBytes.getAsLong());
        }
        List<ZkArrowSplit> splits = new ArrayList<>();
        for (Object item : list(call(request), "splits")) {
            Map<String, Object> split = object(item, "splits[]");
            splits.add(
                    new ZkArrowSplit(
                            string(split, "path"),
                            Math.toIntExact(number(split, "batch_start")),
                            Math.toIntExact(number(split, "batch_end")),
                            number(split, "bytes"),
                            number(split, "rows"),
                            split.get("preferred_node") instanceof String
                                    ? (String) split.get("preferred_node")
                                    : null));
        }
        return splits;
    }

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

    @Override
    public void close() {
        catalog.close();
    }

    TableInfo toTableInfo(Map<String, Object> table) {
        SchemaTableName name = new SchemaTableName(string(table, "schema"), string(table, "table"));
        List<ZkArrowColumnHandle> columns = columnHandles(table, name.toString());
        Object snapshot = table.get("snapshot_id");
        Long snapshotId = null;
        if (snapshot instanceof Long) {
            snapshotId = (Long) snapshot;
        } else if (snapshot instanceof String) {
            try {
                snapshotId = Long.parseLong((String) snapshot);
            } catch (NumberFormatException e) {
                throw new PrestoException(
                        INTERNAL,
                        "Unexpected snapshot_id '"
                                + snapshot
                                + "' of table "
                                + name
                                + " from the native library");
            }
        }
        Object rows = table.get("row_count");
        OptionalLong rowCount =
                rows instanceof Long ? OptionalLong.of((Long) rows) : OptionalLong.empty();
        Object location = table.get("location");
        Object id = table.get("id");
        return new TableInfo(
                name,
                snapshotId,
                id instanceof String ? (String) id : null,
                rowCount,
                location instanceof String ? (String) location : null,
                columns);
    }

    /**
     * The column handles of a Table or NewTable record: {@code columns: [{"id", "name", "type",
     * "file_name"?}]} ({@code file_name} only in registered tables).
     */
    public List<ZkArrowColumnHandle> columnHandles(Map<String, Object> table, String tableName) {
        List<ZkArrowColumnHandle> columns = new ArrayList<>();
        for (Object item : list(table, "columns")) {
            Map<String, Object> column = object(item, "columns[]");
            String columnName = string(column, "name");
            String type = string(column, "type");
            Object fileName = column.get("file_name");
            columns.add(
                    new ZkArrowColumnHandle(
                            columnName,
                            parseType(type, "column " + columnName + " of " + tableName),
                            columns.size(),
                            number(column, "id"),
                            fileName instanceof String ? (String) fileName : null));
        }
        return columns;
    }

    /** A request {@code {"op": op}} to add fields to and pass to {@link #call(Map)}. */
    public static Map<String, Object> request(String op) {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("op", op);
        return request;
    }

    /** One native metadata request (PROTOCOL.md); native errors come out as PrestoExceptions. */
    public Map<String, Object> call(Map<String, Object> request) {
        String response;
        try {
            response = catalog.call(Json.write(request));
        } catch (ZkArrowNativeException e) {
            throw ZkArrowErrorCode.toPrestoException(e);
        }
        if (response == null) {
            throw new PrestoException(
                    INTERNAL, "The native library returned no response to " + request.get("op"));
        }
        try {
            return Json.parseObject(response);
        } catch (IllegalArgumentException e) {
            throw new PrestoException(
                    INTERNAL,
                    "Unreadable response to " + request.get("op") + ": " + e.getMessage(),
                    e);
        }
    }

    /** The array {@code field} of a native response; INTERNAL if it has none. */
    public static List<?> list(Map<String, Object> object, String field) {
        Object value = object.get(field);
        if (!(value instanceof List)) {
            throw new PrestoException(
                    INTERNAL,
                    "The native library's response has no array '"
                            + field
                            + "': "
                            + Json.write(object));
        }
        return (List<?>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(Object value, String field) {
        if (!(value instanceof Map)) {
            throw new PrestoException(
                    INTERNAL, "The native library's response has no object '" + field + "'");
        }
        return (Map<String, Object>) value;
    }

    private static String string(Map<String, Object> object, String field) {
        Object value = object.get(field);
        if (!(value instanceof String)) {
            throw new PrestoException(
                    INTERNAL,
                    "The native library's response has no string '"
                            + field
                            + "': "
                            + Json.write(object));
        }
        return (String) value;
    }

    private static long number(Map<String, Object> object, String field) {
        Object value = object.get(field);
        if (!(value instanceof Long)) {
            throw new PrestoException(
                    INTERNAL,
                    "The native library's response has no integer '"
                            + field
                            + "': "
                            + Json.write(object));
        }
        return (Long) value;
    }
}
