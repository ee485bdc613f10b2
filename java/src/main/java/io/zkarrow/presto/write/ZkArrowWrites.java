package io.zkarrow.presto.write;

import static com.facebook.presto.common.type.DateTimeEncoding.unpackMillisUtc;
import static com.facebook.presto.spi.StandardErrorCode.NOT_SUPPORTED;

import static io.zkarrow.presto.ZkArrowErrorCode.INTERNAL;
import static io.zkarrow.presto.ZkArrowErrorCode.INVALID_ARGUMENT;
import static io.zkarrow.presto.ZkArrowErrorCode.SNAPSHOT_NOT_FOUND;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.common.type.TimestampType;
import com.facebook.presto.common.type.TimestampWithTimeZoneType;
import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.ColumnMetadata;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorTableMetadata;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.spi.SchemaTableName;
import com.facebook.presto.spi.TableNotFoundException;
import com.facebook.presto.spi.connector.ConnectorTableVersion;

import io.airlift.slice.Slice;
import io.zkarrow.presto.handle.ZkArrowColumnHandle;
import io.zkarrow.presto.handle.ZkArrowTableHandle;
import io.zkarrow.presto.handle.ZkArrowWriteHandle;
import io.zkarrow.presto.metadata.ZkArrowMetadata;
import io.zkarrow.presto.metadata.ZkArrowTableProperties;
import io.zkarrow.presto.protocol.Json;
import io.zkarrow.presto.protocol.ZkArrowTableOps;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.logging.Logger;

/**
 * The write side of {@link ZkArrowMetadata}: DDL, CREATE TABLE AS, INSERT, TRUNCATE / DELETE and
 * time travel, each mapped onto the native requests of PROTOCOL.md. Decisions (conflicts,
 * re-basing, defaults) stay on the native side.
 */
public final class ZkArrowWrites {
    private static final Logger LOG = Logger.getLogger(ZkArrowWrites.class.getName());

    private final ZkArrowTableOps ops;

    public ZkArrowWrites(ZkArrowTableOps ops) {
        this.ops = requireNonNull(ops, "ops is null");
    }

    public ZkArrowTableOps ops() {
        return ops;
    }

    private static List<Map<String, Object>> columnSpecs(ConnectorTableMetadata metadata) {
        List<Map<String, Object>> columns = new ArrayList<>();
        for (ColumnMetadata column : metadata.getColumns()) {
            if (column.isHidden()) {
                continue;
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("name", column.getName());
            spec.put("type", column.getType().getTypeSignature().toString());
            columns.add(spec);
        }
        return columns;
    }

    private static Map<String, String> tableProperties(ConnectorTableMetadata metadata) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : metadata.getProperties().entrySet()) {
            if (entry.getValue() != null) {
                properties.put(entry.getKey(), String.valueOf(entry.getValue()).trim());
            }
        }
        if (properties.containsKey(ZkArrowTableProperties.COMPRESSION)) {
            properties.put(
                    ZkArrowTableProperties.COMPRESSION,
                    properties.get(ZkArrowTableProperties.COMPRESSION).toLowerCase(Locale.ENGLISH));
        }
        return properties;
    }

    public void createTable(ConnectorTableMetadata metadata) {
        SchemaTableName name = metadata.getTable();
        ops.createTable(
                name.getSchemaName(),
                name.getTableName(),
                columnSpecs(metadata),
                tableProperties(metadata));
    }

    public ZkArrowWriteHandle beginCreateTable(
            ConnectorSession session, ConnectorTableMetadata metadata) {
        SchemaTableName name = metadata.getTable();
        Map<String, Object> planned =
                ops.planNewTable(
                        name.getSchemaName(),
                        name.getTableName(),
                        columnSpecs(metadata),
                        tableProperties(metadata),
                        session.getQueryId());
        Map<String, Object> newTable = ZkArrowTableOps.asObject(planned.get("new_table"));
        Object dataDir = planned.get("data_dir");
        if (newTable == null || !(dataDir instanceof String)) {
            throw new PrestoException(
                    INTERNAL,
                    "plan_new_table returned no new_table / data_dir: " + Json.write(planned));
        }
        // the planned columns carry the ids the written files must hold
        List<ZkArrowColumnHandle> columns =
                ops.getClient().columnHandles(newTable, name.toString());
        return new ZkArrowWriteHandle(
                name.getSchemaName(),
                name.getTableName(),
                columns,
                (String) dataDir,
                compressionOf(newTable.get("properties")),
                null,
                Json.write(newTable),
                null,
                session.getQueryId());
    }

    public void finishCreateTable(ZkArrowWriteHandle handle, Collection<Slice> fragments) {
        List<Object> files = files(fragments);
        try {
            ops.publishTable(Json.parse(handle.getNewTableJson()), files);
        } catch (RuntimeException e) {
            abortCreateTable(handle);
            throw e;
        }
    }

    /**
     * Removes what a CREATE TABLE AS that will not be published wrote (its data and metadata
     * directories) through the native {@code abort_new_table}, which refuses a table that was
     * published.
     */
    public void abortCreateTable(ZkArrowWriteHandle handle) {
        try {
            ops.abortNewTable(Json.parse(handle.getNewTableJson()));
        } catch (RuntimeException e) {
            LOG.warning("zkarrow: cannot clean up the unpublished table " + handle + ": " + e);
        }
    }

    /**
     * An INSERT that will not commit: no longer in flight, so orphan removal may collect its files.
     */
    public void abortInsert(ZkArrowWriteHandle handle) {
        try {
            ops.endWrite(handle.getTableId(), handle.getQueryId());
        } catch (RuntimeException e) {
            LOG.warning("zkarrow: cannot end the write " + handle + ": " + e);
        }
    }

    /**
     * Marks the INSERT in flight (orphan removal spares its files) and ties it to the table's id.
     */
    public ZkArrowWriteHandle beginInsert(
            ConnectorSession session, ZkArrowTableHandle table, List<ZkArrowColumnHandle> columns) {
        Map<String, Object> record =
                ops.beginWrite(table.getSchema(), table.getTable(), session.getQueryId());
        if (record == null) {
            throw new TableNotFoundException(table.toSchemaTableName());
        }
        Object dataDir = record.get("data_dir");
        if (!(dataDir instanceof String)) {
            throw new PrestoException(INTERNAL, "get_table returned no data_dir for " + table);
        }
        return new ZkArrowWriteHandle(
                table.getSchema(),
                table.getTable(),
                columns,
                (String) dataDir,
                compressionOf(record.get("properties")),
                table.getSnapshotId(),
                null,
                (String) record.get("id"),
                session.getQueryId());
    }

    /**
     * The commit outcome, or null when nothing was written (no new snapshot for an empty INSERT).
     */
    public Map<String, Object> finishInsert(
            ConnectorSession session, ZkArrowWriteHandle handle, Collection<Slice> fragments) {
        List<Object> files = files(fragments);
        if (files.isEmpty()) {
            ops.endWrite(handle.getTableId(), handle.getQueryId());
            return null;
        }
        Map<String, Object> outcome =
                ops.commit(
                        handle.getSchema(),
                        handle.getTable(),
                        "append",
                        files,
                        handle.getBaseSnapshotId(),
                        handle.getTableId(),
                        session.getQueryId());
        Object retries = outcome.get("retries");
        if (retries instanceof Long && (Long) retries > 0) {
            LOG.info(
                    "zkarrow: INSERT "
                            + session.getQueryId()
                            + " into "
                            + handle.getSchema()
                            + "."
                            + handle.getTable()
                            + " re-based "
                            + retries
                            + " time(s)");
        }
        return outcome;
    }

    /** TRUNCATE TABLE and DELETE without a predicate: a snapshot with no files. */
    public OptionalLong deleteAll(
            ConnectorSession session, ZkArrowTableHandle table, OptionalLong rowCount) {
        ops.commit(
                table.getSchema(),
                table.getTable(),
                "overwrite",
                new ArrayList<>(),
                table.getSnapshotId(),
                table.getTableId(),
                session.getQueryId());
        return rowCount;
    }

    /** The snapshot {@code version} selects, validated against the table's history. */
    public long resolveVersion(SchemaTableName name, ConnectorTableVersion version) {
        List<Map<String, Object>> snapshots =
                ops.snapshots(name.getSchemaName(), name.getTableName());
        boolean before =
                version.getVersionOperator() == ConnectorTableVersion.VersionOperator.LESS_THAN;
        Object value = version.getTableVersion();
        if (version.getVersionType() == ConnectorTableVersion.VersionType.VERSION) {
            if (value instanceof Slice) {
                // FOR VERSION AS OF '42': a snapshot id as text
                try {
                    value = Long.parseLong(((Slice) value).toStringUtf8().trim());
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            if (!(value instanceof Long)) {
                throw new PrestoException(
                        INVALID_ARGUMENT,
                        "zkarrow table versions are bigint snapshot ids, not '"
                                + value
                                + "': use FOR VERSION AS OF <snapshot id> (see \""
                                + name.getTableName()
                                + "$snapshots\")");
            }
            long id = (Long) value;
            for (Map<String, Object> snapshot : snapshots) {
                long snapshotId = number(snapshot.get("snapshot_id"));
                if (before ? snapshotId < id : snapshotId == id) {
                    return snapshotId;
                }
            }
            throw new PrestoException(
                    SNAPSHOT_NOT_FOUND,
                    "Table " + name + " has no snapshot " + (before ? "before " : "") + id);
        }
        long millis = timestampMillis(version.getVersionExpressionType(), value);
        for (Map<String, Object> snapshot : snapshots) {
            // newest first: the first one committed at or before the time is the one current then
            long committed = number(snapshot.get("committed_at_ms"));
            if (before ? committed < millis : committed <= millis) {
                return number(snapshot.get("snapshot_id"));
            }
        }
        throw new PrestoException(
                SNAPSHOT_NOT_FOUND,
                "Table "
                        + name
                        + " has no snapshot committed "
                        + (before ? "before " : "at or before ")
                        + java.time.Instant.ofEpochMilli(millis)
                        + " (or it has expired)");
    }

    private static long timestampMillis(Type type, Object value) {
        if (type instanceof TimestampWithTimeZoneType && value instanceof Long) {
            return unpackMillisUtc((Long) value);
        }
        if (type instanceof TimestampType && value instanceof Long) {
            return (Long) value;
        }
        throw new PrestoException(
                NOT_SUPPORTED, "zkarrow time travel takes a timestamp, not " + type);
    }

    private static long number(Object value) {
        if (!(value instanceof Long)) {
            throw new PrestoException(
                    INTERNAL, "The native library's snapshot has a non-integer field: " + value);
        }
        return (Long) value;
    }

    private static String compressionOf(Object properties) {
        Map<String, Object> map = ZkArrowTableOps.asObject(properties);
        Object compression = map == null ? null : map.get(ZkArrowTableProperties.COMPRESSION);
        return compression instanceof String ? (String) compression : null;
    }

    /** The DataFiles of every fragment (each fragment: a JSON array from NativeWriter.finish). */
    private static List<Object> files(Collection<Slice> fragments) {
        List<Object> files = new ArrayList<>();
        for (Slice fragment : fragments) {
            Object parsed = Json.parse(fragment.toStringUtf8());
            if (!(parsed instanceof List)) {
                throw new PrestoException(
                        INTERNAL,
                        "A page sink fragment is not a JSON array: " + fragment.toStringUtf8());
            }
            files.addAll((List<?>) parsed);
        }
        return files;
    }
}
