package io.zkarrow.presto.write;

import static com.facebook.presto.common.type.DateTimeEncoding.unpackMillisUtc;
import static com.facebook.presto.spi.StandardErrorCode.NOT_SUPPORTED;

import static io.zkarrow.presto.ZkArrowErrorCode.INTERNAL;

import static java.util.Objects.requireNonNull;

import com.facebook.presto.common.type.TimestampType;
import com.facebook.presto.common.type.TimestampWithTimeZoneType;
import com.facebook.presto.common.type.Type;
import com.facebook.presto.spi.ColumnMetadata;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorTableMetadata;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.spi.SchemaTableName;
import com.facebook.presto.spi.connector.ConnectorTableVersion;
import com.fasterxml.jackson.core.type.TypeReference;

import io.airlift.slice.Slice;
import io.zkarrow.presto.handle.ZkArrowColumnHandle;
import io.zkarrow.presto.handle.ZkArrowTableHandle;
import io.zkarrow.presto.handle.ZkArrowWriteHandle;
import io.zkarrow.presto.metadata.ZkArrowMetadata;
import io.zkarrow.presto.metadata.ZkArrowTableProperties;
import io.zkarrow.presto.protocol.ColumnSpec;
import io.zkarrow.presto.protocol.DataFile;
import io.zkarrow.presto.protocol.Json;
import io.zkarrow.presto.protocol.NewTable;
import io.zkarrow.presto.protocol.Request;
import io.zkarrow.presto.protocol.Response;
import io.zkarrow.presto.protocol.Table;
import io.zkarrow.presto.protocol.ZkArrowClient;

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

    private static final TypeReference<List<DataFile>> DATA_FILES = new TypeReference<>() {};

    private final ZkArrowClient client;

    public ZkArrowWrites(ZkArrowClient client) {
        this.client = requireNonNull(client, "client is null");
    }

    private static List<ColumnSpec> columnSpecs(ConnectorTableMetadata metadata) {
        List<ColumnSpec> columns = new ArrayList<>();
        for (ColumnMetadata column : metadata.getColumns()) {
            if (!column.isHidden()) {
                columns.add(
                        new ColumnSpec(
                                column.getName(), column.getType().getTypeSignature().toString()));
            }
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
        client.createTable(
                name.getSchemaName(),
                name.getTableName(),
                columnSpecs(metadata),
                tableProperties(metadata));
    }

    public ZkArrowWriteHandle beginCreateTable(
            ConnectorSession session, ConnectorTableMetadata metadata) {
        SchemaTableName name = metadata.getTable();
        Response.NewTablePlan planned =
                client.planNewTable(
                        name.getSchemaName(),
                        name.getTableName(),
                        columnSpecs(metadata),
                        tableProperties(metadata),
                        session.getQueryId());
        NewTable newTable = planned.newTable();
        // the planned columns carry the ids the written files must hold
        List<ZkArrowColumnHandle> columns =
                client.columnHandles(newTable.columns(), name.toString());
        return new ZkArrowWriteHandle(
                name.getSchemaName(),
                name.getTableName(),
                columns,
                planned.dataDir(),
                compressionOf(newTable.properties()),
                null,
                Json.write(newTable),
                null,
                session.getQueryId());
    }

    public void finishCreateTable(ZkArrowWriteHandle handle, Collection<Slice> fragments) {
        List<DataFile> files = files(fragments);
        try {
            client.publishTable(newTable(handle), files);
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
            client.abortNewTable(newTable(handle));
        } catch (RuntimeException e) {
            LOG.warning("zkarrow: cannot clean up the unpublished table " + handle + ": " + e);
        }
    }

    /**
     * An INSERT that will not commit: no longer in flight, so orphan removal may collect its files.
     */
    public void abortInsert(ZkArrowWriteHandle handle) {
        try {
            client.endWrite(handle.getTableId(), handle.getQueryId());
        } catch (RuntimeException e) {
            LOG.warning("zkarrow: cannot end the write " + handle + ": " + e);
        }
    }

    /**
     * Marks the INSERT in flight (orphan removal spares its files) and ties it to the table's id.
     */
    public ZkArrowWriteHandle beginInsert(
            ConnectorSession session, ZkArrowTableHandle table, List<ZkArrowColumnHandle> columns) {
        Table record = client.beginWrite(table.getSchema(), table.getTable(), session.getQueryId());
        if (record.dataDir() == null) {
            throw new PrestoException(INTERNAL, "begin_write returned no data_dir for " + table);
        }
        return new ZkArrowWriteHandle(
                table.getSchema(),
                table.getTable(),
                columns,
                record.dataDir(),
                compressionOf(record.properties()),
                table.getSnapshotId(),
                null,
                record.id(),
                session.getQueryId());
    }

    /**
     * The commit outcome, or null when nothing was written (no new snapshot for an empty INSERT).
     */
    public Response.CommitOutcome finishInsert(
            ConnectorSession session, ZkArrowWriteHandle handle, Collection<Slice> fragments) {
        List<DataFile> files = files(fragments);
        if (files.isEmpty()) {
            client.endWrite(handle.getTableId(), handle.getQueryId());
            return null;
        }
        Response.CommitOutcome outcome =
                client.commit(
                        handle.getSchema(),
                        handle.getTable(),
                        Request.Operation.APPEND,
                        files,
                        handle.getBaseSnapshotId(),
                        handle.getTableId(),
                        session.getQueryId());
        if (outcome.retries() > 0) {
            LOG.info(
                    "zkarrow: INSERT "
                            + session.getQueryId()
                            + " into "
                            + handle.getSchema()
                            + "."
                            + handle.getTable()
                            + " re-based "
                            + outcome.retries()
                            + " time(s)");
        }
        return outcome;
    }

    /** TRUNCATE TABLE and DELETE without a predicate: a snapshot with no files. */
    public OptionalLong deleteAll(
            ConnectorSession session, ZkArrowTableHandle table, OptionalLong rowCount) {
        client.commit(
                table.getSchema(),
                table.getTable(),
                Request.Operation.OVERWRITE,
                new ArrayList<>(),
                table.getSnapshotId(),
                table.getTableId(),
                session.getQueryId());
        return rowCount;
    }

    /**
     * The snapshot {@code version} selects (resolve_version: the native side validates it against
     * the table's history). Here only Presto's value becomes the request's: FOR VERSION AS OF's
     * bigint, or its text; FOR TIMESTAMP AS OF's instant in epoch milliseconds.
     */
    public long resolveVersion(SchemaTableName name, ConnectorTableVersion version) {
        boolean before =
                version.getVersionOperator() == ConnectorTableVersion.VersionOperator.LESS_THAN;
        Object value = version.getTableVersion();
        if (version.getVersionType() == ConnectorTableVersion.VersionType.VERSION) {
            Object snapshot =
                    value instanceof Long
                            ? value
                            : value instanceof Slice
                                    ? ((Slice) value).toStringUtf8()
                                    : String.valueOf(value);
            return client.resolveVersion(
                    name.getSchemaName(), name.getTableName(), snapshot, null, before);
        }
        return client.resolveVersion(
                name.getSchemaName(),
                name.getTableName(),
                null,
                timestampMillis(version.getVersionExpressionType(), value),
                before);
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

    private static String compressionOf(Map<String, String> properties) {
        return properties == null ? null : properties.get(ZkArrowTableProperties.COMPRESSION);
    }

    private static NewTable newTable(ZkArrowWriteHandle handle) {
        return Json.read(handle.getNewTableJson(), NewTable.class);
    }

    /** The DataFiles of every fragment (each fragment: a JSON array from NativeWriter.finish). */
    private static List<DataFile> files(Collection<Slice> fragments) {
        List<DataFile> files = new ArrayList<>();
        for (Slice fragment : fragments) {
            try {
                files.addAll(Json.read(fragment.toStringUtf8(), DATA_FILES));
            } catch (IllegalArgumentException e) {
                throw new PrestoException(
                        INTERNAL,
                        "A page sink fragment is no JSON array of files: " + e.getMessage(),
                        e);
            }
        }
        return files;
    }
}
