package io.zkarrow.presto;

import com.facebook.presto.common.predicate.TupleDomain;
import com.facebook.presto.spi.ColumnMetadata;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorTableMetadata;
import com.facebook.presto.spi.InMemoryRecordSet;
import com.facebook.presto.spi.PrestoException;
import com.facebook.presto.spi.RecordCursor;
import com.facebook.presto.spi.SchemaTableName;
import com.facebook.presto.spi.SystemTable;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

import java.util.Collections;
import java.util.Locale;
import java.util.Optional;

import static com.facebook.presto.common.type.VarcharType.VARCHAR;
import static io.zkarrow.presto.ZkArrowErrorCode.SCHEMA_NOT_FOUND;
import static io.zkarrow.presto.ZkArrowErrorCode.TABLE_NOT_FOUND;
import static java.util.Objects.requireNonNull;

/**
 * {@code <catalog>.<schema>."<table>$orphan_files"}: the files under the table's location that no live
 * snapshot names, whatever their age (so files of a write still in flight show too). It is the dry run of
 * {@code CALL system.remove_orphan_files(...)}, which deletes those older than its grace period.
 */
public final class ZkArrowOrphanFilesTable
        implements SystemTable
{
    public static final String SUFFIX = "$orphan_files";

    private final ZkArrowTableOps ops;
    private final String schema;
    private final String table;
    private final ConnectorTableMetadata metadata;

    private ZkArrowOrphanFilesTable(ZkArrowTableOps ops, String schema, String table)
    {
        this.ops = requireNonNull(ops, "ops is null");
        this.schema = schema;
        this.table = table;
        this.metadata = new ConnectorTableMetadata(new SchemaTableName(schema, table + SUFFIX),
                Collections.singletonList(ColumnMetadata.builder().setName("path").setType(VARCHAR).build()));
    }

    /** The table for {@code "<table>$orphan_files"} of an existing table; empty for any other name. */
    public static Optional<SystemTable> forName(ZkArrowTableOps ops, SchemaTableName name)
    {
        String tableName = name.getTableName().toLowerCase(Locale.ENGLISH);
        if (!tableName.endsWith(SUFFIX) || tableName.length() == SUFFIX.length()) {
            return Optional.empty();
        }
        String schema = name.getSchemaName().toLowerCase(Locale.ENGLISH);
        String table = tableName.substring(0, tableName.length() - SUFFIX.length());
        try {
            if (ops.tableRecord(schema, table) == null) {
                return Optional.empty();
            }
        }
        catch (PrestoException e) {
            if (e.getErrorCode().equals(SCHEMA_NOT_FOUND.toErrorCode()) || e.getErrorCode().equals(TABLE_NOT_FOUND.toErrorCode())) {
                return Optional.empty();
            }
            throw e;
        }
        return Optional.of(new ZkArrowOrphanFilesTable(ops, schema, table));
    }

    @Override
    public Distribution getDistribution()
    {
        return Distribution.SINGLE_COORDINATOR;
    }

    @Override
    public ConnectorTableMetadata getTableMetadata()
    {
        return metadata;
    }

    @Override
    public RecordCursor cursor(ConnectorTransactionHandle transactionHandle, ConnectorSession session, TupleDomain<Integer> constraint)
    {
        InMemoryRecordSet.Builder rows = InMemoryRecordSet.builder(metadata);
        // every unreferenced file, however young: older_than = now + 1 day
        for (String path : ops.removeOrphanFiles(schema, table, System.currentTimeMillis() + 86_400_000L, true)) {
            rows.addRow(path);
        }
        return rows.build().cursor();
    }
}
