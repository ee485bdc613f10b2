package io.zkarrow.presto.scan;

import com.facebook.presto.common.RuntimeStats;
import com.facebook.presto.spi.ColumnHandle;
import com.facebook.presto.spi.ConnectorPageSource;
import com.facebook.presto.spi.ConnectorSession;
import com.facebook.presto.spi.ConnectorSplit;
import com.facebook.presto.spi.ConnectorTableLayoutHandle;
import com.facebook.presto.spi.SplitContext;
import com.facebook.presto.spi.connector.ConnectorPageSourceProvider;
import com.facebook.presto.spi.connector.ConnectorTransactionHandle;

import io.zkarrow.presto.ZkArrowErrorCode;
import io.zkarrow.presto.handle.ZkArrowColumnHandle;
import io.zkarrow.presto.handle.ZkArrowSplit;
import io.zkarrow.presto.metadata.ZkArrowSessionProperties;
import io.zkarrow.presto.nativelib.NativeReader;
import io.zkarrow.presto.nativelib.ZkArrowNativeException;
import io.zkarrow.presto.protocol.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class ZkArrowPageSourceProvider implements ConnectorPageSourceProvider {
    @Override
    public ConnectorPageSource createPageSource(
            ConnectorTransactionHandle transactionHandle,
            ConnectorSession session,
            ConnectorSplit split,
            ConnectorTableLayoutHandle layout,
            List<ColumnHandle> columns,
            SplitContext splitContext,
            RuntimeStats runtimeStats) {
        return createPageSource(transactionHandle, session, split, columns, splitContext);
    }

    @Override
    public ConnectorPageSource createPageSource(
            ConnectorTransactionHandle transactionHandle,
            ConnectorSession session,
            ConnectorSplit split,
            List<ColumnHandle> columns,
            SplitContext splitContext) {
        ZkArrowSplit arrowSplit = (ZkArrowSplit) split;
        List<ZkArrowColumnHandle> arrowColumns = new ArrayList<>();
        for (ColumnHandle column : columns) {
            arrowColumns.add((ZkArrowColumnHandle) column);
        }
        String scan =
                scanJson(
                        arrowSplit,
                        arrowColumns,
                        ZkArrowSessionProperties.isDebugNativePanic(session));
        try {
            return new ZkArrowPageSource(NativeReader.start(scan), arrowColumns);
        } catch (ZkArrowNativeException e) {
            throw ZkArrowErrorCode.toPrestoException(e);
        }
    }

    /** The scan of {@code NativeReader.open} (PROTOCOL.md). */
    static String scanJson(
            ZkArrowSplit split, List<ZkArrowColumnHandle> columns, boolean debugPanic) {
        Map<String, Object> scan = new LinkedHashMap<>();
        scan.put("path", split.getPath());
        scan.put("batch_start", split.getBatchStart());
        scan.put("batch_end", split.getBatchEnd());
        List<Object> columnList = new ArrayList<>();
        for (ZkArrowColumnHandle column : columns) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("name", column.getName());
            entry.put("type", column.getType().getTypeSignature().toString());
            // found by id in files zkarrow wrote, by file_name (or name) in registered files
            entry.put("id", column.getId());
            if (column.getFileName() != null) {
                entry.put("file_name", column.getFileName());
            }
            columnList.add(entry);
        }
        scan.put("columns", columnList);
        scan.put("debug_panic", debugPanic);
        return Json.write(scan);
    }
}
