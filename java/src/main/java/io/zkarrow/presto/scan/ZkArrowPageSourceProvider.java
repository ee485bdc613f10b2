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
import io.zkarrow.presto.protocol.Column;
import io.zkarrow.presto.protocol.Json;
import io.zkarrow.presto.protocol.ScanRequest;

import java.util.ArrayList;
import java.util.List;

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
        ZkArrowSplit arrowSplit = (ZkArrowSplit) split;
        List<ZkArrowColumnHandle> arrowColumns = new ArrayList<>();
        for (ColumnHandle column : columns) {
            arrowColumns.add((ZkArrowColumnHandle) column);
        }
        String scan =
                Json.write(
                        scanRequest(
                                arrowSplit,
                                arrowColumns,
                                ZkArrowSessionProperties.isDebugNativePanic(session)));
        try {
            return new ZkArrowPageSource(NativeReader.start(scan), arrowColumns, runtimeStats);
        } catch (ZkArrowNativeException e) {
            throw ZkArrowErrorCode.toPrestoException(e);
        }
    }

    @Override
    public ConnectorPageSource createPageSource(
            ConnectorTransactionHandle transactionHandle,
            ConnectorSession session,
            ConnectorSplit split,
            List<ColumnHandle> columns,
            SplitContext splitContext) {
        return createPageSource(
                transactionHandle, session, split, null, columns, splitContext, new RuntimeStats());
    }

    /** The scan of {@code NativeReader.open}. */
    static ScanRequest scanRequest(
            ZkArrowSplit split, List<ZkArrowColumnHandle> columns, boolean debugPanic) {
        List<Column> scanColumns = new ArrayList<>();
        for (ZkArrowColumnHandle column : columns) {
            // found by id in files zkarrow wrote, by file_name (or name) in registered files
            scanColumns.add(
                    new Column(
                            column.getId(),
                            column.getName(),
                            column.getType().getTypeSignature().toString(),
                            column.getFileName()));
        }
        return new ScanRequest(
                split.getPath(),
                split.getBatchStart(),
                split.getBatchEnd(),
                scanColumns,
                debugPanic);
    }
}
